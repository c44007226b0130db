namespace Jisr.Exchange.Stix.Validation;

/// <summary>
/// The STIX 2.1 patterning language (specification part 9): a recursive-descent check of the grammar, the literals
/// (strings, timestamps, hex, binary, numbers) and the qualifiers, and the rule that an object type is one STIX defines
/// <see cref="SimpleEquality"/> reads the one-comparison patterns Jisr maps to entities.
/// </summary>
public static partial class StixPattern
{
    /// <summary>Null when the pattern is valid, else why not (with the character position).</summary>
    public static string? Check(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return "the pattern is empty";
        }

        try
        {
            var parser = new Parser(Tokenize(pattern));
            parser.Pattern();
            return null;
        }
        catch (PatternException bad)
        {
            return bad.Message;
        }
    }

    /// <summary>The object types a valid pattern tests (empty when it is not valid).</summary>
    public static IReadOnlySet<string> ObjectTypesOf(string pattern)
    {
        try
        {
            var parser = new Parser(Tokenize(pattern));
            parser.Pattern();
            return parser.ObjectTypes;
        }
        catch (PatternException)
        {
            return new HashSet<string>();
        }
    }

    /// <summary>For <c>[type:path = 'value']</c>: the type, the property path and the value; null for anything else.</summary>
    public static (string Type, string Path, string Value)? SimpleEquality(string pattern)
    {
        var match = SimpleEqualityRegex().Match(pattern);
        if (!match.Success || Check(pattern) is not null)
        {
            return null;
        }

        return (match.Groups[1].Value, match.Groups[2].Value, Unescape(match.Groups[3].Value));
    }

    /// <summary>A string as a pattern literal: quotes, with ' and \ escaped.</summary>
    public static string Quote(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    private static string Unescape(string quoted) => quoted.Replace("\\'", "'", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);

    /// <summary>The grammar's timestamp literal: each field in range (the calendar is not checked, as in the reference grammar).</summary>
    private static bool TimestampLiteralShape(string text)
    {
        var match = TimestampLiteral().Match(text);
        if (!match.Success)
        {
            return false;
        }

        int N(int group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
        return N(2) is >= 1 and <= 12 && N(3) is >= 1 and <= 31 && N(4) <= 23 && N(5) <= 59 && N(6) <= 60;
    }

    [GeneratedRegex(@"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z$")]
    private static partial Regex TimestampLiteral();

    [GeneratedRegex(@"^\s*\[\s*([a-z0-9-]+):([a-z0-9_]+(?:\.[a-z0-9_]+)*)\s*=\s*'((?:[^'\\]|\\['\\])*)'\s*\]\s*$")]
    private static partial Regex SimpleEqualityRegex();

    private enum Kind
    {
        Word,
        String,
        Timestamp,
        Hex,
        Binary,
        Int,
        Float,
        Symbol,
        End,
    }

    private sealed record Token(Kind Kind, string Text, int Position);

    private sealed class PatternException(string message) : Exception(message);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (c == '\'' || ((c is 't' or 'h' or 'b') && i + 1 < text.Length && text[i + 1] == '\''))
            {
                var kind = c switch { 't' => Kind.Timestamp, 'h' => Kind.Hex, 'b' => Kind.Binary, _ => Kind.String };
                i += kind == Kind.String ? 1 : 2;
                var value = new System.Text.StringBuilder();
                var closed = false;
                while (i < text.Length)
                {
                    if (text[i] == '\\')
                    {
                        if (i + 1 >= text.Length || (text[i + 1] != '\'' && text[i + 1] != '\\'))
                        {
                            throw new PatternException($"at {i}: only \\' and \\\\ may be escaped in a string literal");
                        }

                        value.Append(text[i + 1]);
                        i += 2;
                        continue;
                    }

                    if (text[i] == '\'')
                    {
                        closed = true;
                        i++;
                        break;
                    }

                    value.Append(text[i++]);
                }

                if (!closed)
                {
                    throw new PatternException($"at {start}: a string literal is not closed");
                }

                tokens.Add(new Token(kind, value.ToString(), start));
                continue;
            }

            if (char.IsAsciiDigit(c) || ((c is '-' or '+') && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                i++;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                var isFloat = false;
                if (i < text.Length && text[i] == '.')
                {
                    isFloat = true;
                    i++;
                    while (i < text.Length && char.IsAsciiDigit(text[i]))
                    {
                        i++;
                    }
                }

                tokens.Add(new Token(isFloat ? Kind.Float : Kind.Int, text[start..i], start));
                continue;
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '-'))
                {
                    i++;
                }

                tokens.Add(new Token(Kind.Word, text[start..i], start));
                continue;
            }

            var two = i + 1 < text.Length ? text.Substring(i, 2) : null;
            if (two is "!=" or "<=" or ">=" or "==")
            {
                tokens.Add(new Token(Kind.Symbol, two, start));
                i += 2;
                continue;
            }

            if ("[]():=<>.,*".Contains(c, StringComparison.Ordinal))
            {
                tokens.Add(new Token(Kind.Symbol, c.ToString(), start));
                i++;
                continue;
            }

            throw new PatternException($"at {i}: unexpected character '{c}'");
        }

        tokens.Add(new Token(Kind.End, "end of pattern", text.Length));
        return tokens;
    }

    private sealed class Parser(List<Token> tokens)
    {
        private int _at;
        private string? _lastProperty;
        private string? _beforeLastProperty;

        public HashSet<string> ObjectTypes { get; } = new(StringComparer.Ordinal);

        private Token Current => tokens[_at];

        public void Pattern()
        {
            if (!IsSymbol("[") && !IsSymbol("("))
            {
                throw Error("a pattern starts with '[' (an observation) or '('; is it missing its square brackets?");
            }

            ObservationExpressions();
            if (Current.Kind != Kind.End)
            {
                throw Error($"unexpected '{Current.Text}'");
            }
        }

        private void ObservationExpressions()
        {
            ObservationOr();
            while (IsWord("FOLLOWEDBY"))
            {
                _at++;
                ObservationOr();
            }
        }

        private void ObservationOr()
        {
            ObservationAnd();
            while (IsWord("OR"))
            {
                _at++;
                ObservationAnd();
            }
        }

        private void ObservationAnd()
        {
            Observation();
            while (IsWord("AND"))
            {
                _at++;
                Observation();
            }
        }

        private void Observation()
        {
            var bracketed = IsSymbol("[");
            if (bracketed)
            {
                _at++;
                ComparisonOr();
                Expect("]");
            }
            else if (IsSymbol("("))
            {
                _at++;
                ObservationExpressions();
                Expect(")");
            }
            else
            {
                throw Error($"expected '[' or '(' but found '{Current.Text}'");
            }

            Qualifiers(bracketed);
        }

        /// <summary>Qualifiers; one observation in brackets takes each kind at most once (the reference validator's rule).</summary>
        private void Qualifiers(bool once)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (true)
            {
                if (Current.Kind == Kind.Word && Current.Text is "START" or "WITHIN" or "REPEATS" && !seen.Add(Current.Text) && once)
                {
                    throw Error($"duplicate qualifier {Current.Text}");
                }

                if (IsWord("START"))
                {
                    _at++;
                    TimestampLiteral();
                    ExpectWord("STOP");
                    TimestampLiteral();
                }
                else if (IsWord("WITHIN"))
                {
                    _at++;
                    if (Current.Kind is not (Kind.Int or Kind.Float) || double.Parse(Current.Text, CultureInfo.InvariantCulture) <= 0)
                    {
                        throw Error("WITHIN takes a positive number of seconds");
                    }

                    _at++;
                    ExpectWord("SECONDS");
                }
                else if (IsWord("REPEATS"))
                {
                    _at++;
                    if (Current.Kind != Kind.Int || long.Parse(Current.Text, CultureInfo.InvariantCulture) <= 0)
                    {
                        throw Error("REPEATS takes a positive whole number");
                    }

                    _at++;
                    ExpectWord("TIMES");
                }
                else
                {
                    return;
                }
            }
        }

        private void TimestampLiteral()
        {
            if (Current.Kind != Kind.Timestamp || !TimestampLiteralShape(Current.Text))
            {
                throw Error($"expected a timestamp literal t'YYYY-MM-DDTHH:MM:SSZ' but found '{Current.Text}'");
            }

            _at++;
        }

        private void ComparisonOr()
        {
            ComparisonAnd();
            while (IsWord("OR"))
            {
                _at++;
                ComparisonAnd();
            }
        }

        private void ComparisonAnd()
        {
            PropertyTest();
            while (IsWord("AND"))
            {
                _at++;
                PropertyTest();
            }
        }

        private void PropertyTest()
        {
            if (IsSymbol("("))
            {
                _at++;
                ComparisonOr();
                Expect(")");
                return;
            }

            if (IsWord("EXISTS"))
            {
                _at++;
                ObjectPath();
                return;
            }

            ObjectPath();
            if (IsWord("NOT"))
            {
                _at++;
            }

            var op = Current;
            if (op.Kind == Kind.Symbol && op.Text is "=" or "==" or "!=" or "<" or "<=" or ">" or ">=")
            {
                _at++;
                if (_beforeLastProperty == "hashes" && Current.Kind == Kind.String && HashLength(_lastProperty) is { } length
                    && (Current.Text.Length != length || !Current.Text.All(char.IsAsciiHexDigit)))
                {
                    throw Error($"'{Current.Text}' is not a valid {_lastProperty} hash");
                }

                Literal();
            }
            else if (IsWord("IN"))
            {
                _at++;
                Expect("(");
                Literal();
                while (IsSymbol(","))
                {
                    _at++;
                    Literal();
                }

                Expect(")");
            }
            else if (IsWord("LIKE") || IsWord("MATCHES") || IsWord("ISSUBSET") || IsWord("ISSUPERSET"))
            {
                _at++;
                if (Current.Kind != Kind.String)
                {
                    throw Error($"{op.Text} takes a string literal, not '{Current.Text}'");
                }

                if (op.Text == "MATCHES")
                {
                    try
                    {
                        _ = new Regex(Current.Text, RegexOptions.None, TimeSpan.FromSeconds(1));
                    }
                    catch (ArgumentException)
                    {
                        throw Error("MATCHES takes a valid regular expression");
                    }
                }

                _at++;
            }
            else
            {
                throw Error($"expected a comparison operator but found '{op.Text}'");
            }
        }

        private void ObjectPath()
        {
            var type = Current;
            if (type.Kind != Kind.Word)
            {
                throw Error($"expected an object type but found '{type.Text}'");
            }

            ObjectTypes.Add(type.Text);
            _at++;
            Expect(":");
            if (Current.Kind is not (Kind.Word or Kind.String))
            {
                throw Error($"expected a property name but found '{Current.Text}'");
            }

            _beforeLastProperty = null;
            _lastProperty = Current.Text;
            _at++;
            while (true)
            {
                if (IsSymbol("."))
                {
                    _at++;
                    if (Current.Kind is not (Kind.Word or Kind.String))
                    {
                        throw Error($"expected a property name but found '{Current.Text}'");
                    }

                    _beforeLastProperty = _lastProperty;
                    _lastProperty = Current.Text;
                    _at++;
                }
                else if (IsSymbol("["))
                {
                    _at++;
                    if (!(Current.Kind == Kind.Int || IsSymbol("*")))
                    {
                        throw Error("a list index is a whole number or *");
                    }

                    _at++;
                    Expect("]");
                }
                else
                {
                    return;
                }
            }
        }

        private void Literal()
        {
            var token = Current;
            var ok = token.Kind switch
            {
                Kind.String or Kind.Int or Kind.Float => true,
                Kind.Timestamp => TimestampLiteralShape(token.Text),
                Kind.Hex => token.Text.Length % 2 == 0 && token.Text.All(char.IsAsciiHexDigit),
                Kind.Binary => IsBase64(token.Text),
                Kind.Word => token.Text is "true" or "false",
                _ => false,
            };
            if (!ok)
            {
                throw Error($"'{token.Text}' is not a valid literal (strings are quoted with ')");
            }

            _at++;
        }

        private static int? HashLength(string? algorithm) => algorithm switch
        {
            "MD5" => 32,
            "SHA-1" => 40,
            "SHA-256" or "SHA3-256" => 64,
            "SHA-512" or "SHA3-512" => 128,
            _ => null,
        };

        private static bool IsBase64(string text) => text.Length % 4 == 0 && Convert.TryFromBase64String(text, new byte[text.Length], out _);

        private bool IsSymbol(string symbol) => Current.Kind == Kind.Symbol && Current.Text == symbol;

        private bool IsWord(string word) => Current.Kind == Kind.Word && Current.Text == word;

        private void Expect(string symbol)
        {
            if (!IsSymbol(symbol))
            {
                throw Error($"expected '{symbol}' but found '{Current.Text}'");
            }

            _at++;
        }

        private void ExpectWord(string word)
        {
            if (!IsWord(word))
            {
                throw Error($"expected {word} but found '{Current.Text}'");
            }

            _at++;
        }

        private PatternException Error(string message) => new($"at {Current.Position}: {message}");
    }
}

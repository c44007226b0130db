using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Jisr.Exchange.Stix.Validation;

/// <summary>
/// One of the OASIS STIX schemas compiled into a tree of checks that only answers "does the instance conform", without
/// the error reports a general JSON Schema evaluator builds on every branch it tries (anyOf, oneOf, not): that was about
/// half of an import's CPU. It implements exactly the JSON Schema 2020-12 keywords the OASIS schemas use, and refuses to
/// compile a schema with any other assertion keyword, so a schema update cannot be half understood. <c>format</c> is an
/// annotation only, as in 2020-12 by default (and in JsonSchema.Net, which keeps the detailed messages and against which
/// a differential test checks every verdict).
/// </summary>
internal sealed partial class CompiledSchema
{
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "$id", "$schema", "$comment", "title", "description", "definitions", "$defs", "default", "examples", "format",
    };

    /// <summary>Property names seen (bounded), with which patternProperties patterns they match: names repeat across objects.</summary>
    private const int NameCacheLimit = 20_000;

    /// <summary>Longest property name (in UTF-8 bytes) read without making a string (STIX names are at most 250 characters).</summary>
    private const int MaxSpanName = 256;

    private TypeSet _types;
    private CompiledSchema? _ref;
    private string[]? _required;
    private JsonElement[]? _enum;
    private JsonElement? _const;
    private SchemaPattern? _pattern;
    private CompiledSchema[]? _allOf;
    private CompiledSchema[]? _anyOf;
    private CompiledSchema[]? _oneOf;
    private CompiledSchema? _not;
    private CompiledSchema? _if;
    private CompiledSchema? _then;
    private (byte[] Name, CompiledSchema Schema)[]? _properties;
    private HashSet<string>? _propertyNames;
    private (SchemaPattern Pattern, CompiledSchema Schema)[]? _patternProperties;
    private bool? _additionalAllowed;
    private CompiledSchema? _additional;
    private CompiledSchema? _names;
    private CompiledSchema? _items;
    private CompiledSchema? _contains;
    private int? _minItems;
    private int? _minProperties;
    private int? _minLength;
    private int? _maxLength;
    private decimal? _minimum;
    private decimal? _maximum;
    private bool _false;
    private ConcurrentDictionary<string, bool[]>? _nameMatches;

    [Flags]
    private enum TypeSet
    {
        None = 0,
        Object = 1,
        Array = 2,
        String = 4,
        Number = 8,
        Integer = 16,
        Boolean = 32,
        Null = 64,
    }

    /// <summary>Compiles every schema of the set (path relative to the schemas folder → its JSON text), resolving $refs between them.</summary>
    public static Dictionary<string, CompiledSchema> CompileAll(IReadOnlyDictionary<string, string> texts, Uri baseUri)
    {
        var compiler = new Compiler(texts, baseUri);
        return texts.Keys.ToDictionary(path => path, path => compiler.Resolve(new Uri(baseUri, path)), StringComparer.Ordinal);
    }

    /// <summary>Whether the instance conforms to the schema.</summary>
    public bool Holds(JsonElement instance)
    {
        if (_false)
        {
            return false;
        }

        var kind = instance.ValueKind;
        if (_types != TypeSet.None && !TypeHolds(instance, kind))
        {
            return false;
        }

        if (_ref is not null && !_ref.Holds(instance))
        {
            return false;
        }

        if (_enum is not null && !InEnum(_enum, instance))
        {
            return false;
        }

        if (_const is { } constant && !JsonElement.DeepEquals(constant, instance))
        {
            return false;
        }

        switch (kind)
        {
            case JsonValueKind.String when _pattern is not null || _minLength is not null || _maxLength is not null:
                if (!StringHolds(instance))
                {
                    return false;
                }

                break;
            case JsonValueKind.Number when _minimum is not null || _maximum is not null:
                var number = instance.TryGetDecimal(out var exact) ? exact : (decimal)Math.Clamp(instance.GetDouble(), (double)decimal.MinValue, (double)decimal.MaxValue);
                if (number < _minimum || number > _maximum)
                {
                    return false;
                }

                break;
            case JsonValueKind.Object when !ObjectHolds(instance):
                return false;
            case JsonValueKind.Array when !ArrayHolds(instance):
                return false;
        }

        if (_allOf is not null)
        {
            foreach (var schema in _allOf)
            {
                if (!schema.Holds(instance))
                {
                    return false;
                }
            }
        }

        if (_anyOf is not null && !AnyHolds(_anyOf, instance))
        {
            return false;
        }

        if (_oneOf is not null)
        {
            var matched = 0;
            foreach (var schema in _oneOf)
            {
                if (schema.Holds(instance) && ++matched > 1)
                {
                    return false;
                }
            }

            if (matched != 1)
            {
                return false;
            }
        }

        if (_not is not null && _not.Holds(instance))
        {
            return false;
        }

        return _if is null || _then is null || !_if.Holds(instance) || _then.Holds(instance);
    }

    // Loops, not Array.Exists: a lambda capturing the instance would be allocated on every call.
    private static bool InEnum(JsonElement[] values, JsonElement instance)
    {
        foreach (var value in values)
        {
            if (JsonElement.DeepEquals(value, instance))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyHolds(CompiledSchema[] schemas, JsonElement instance)
    {
        foreach (var schema in schemas)
        {
            if (schema.Holds(instance))
            {
                return true;
            }
        }

        return false;
    }

    private bool TypeHolds(JsonElement instance, JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => (_types & TypeSet.Object) != 0,
        JsonValueKind.Array => (_types & TypeSet.Array) != 0,
        JsonValueKind.String => (_types & TypeSet.String) != 0,
        JsonValueKind.True or JsonValueKind.False => (_types & TypeSet.Boolean) != 0,
        JsonValueKind.Null => (_types & TypeSet.Null) != 0,
        JsonValueKind.Number => (_types & TypeSet.Number) != 0 || ((_types & TypeSet.Integer) != 0 && IsInteger(instance)),
        _ => false,
    };

    /// <summary>2020-12: an integer is a number with no fractional part, whatever its spelling (1.0 is one).</summary>
    private static bool IsInteger(JsonElement number) =>
        number.TryGetDecimal(out var exact) ? decimal.Truncate(exact) == exact : double.IsInteger(number.GetDouble());

    private bool StringHolds(JsonElement instance)
    {
        var raw = JsonMarshal.GetRawUtf8Value(instance)[1..^1]; // without its quotes
        if (raw.IndexOf((byte)'\\') >= 0)
        {
            return StringHolds(instance.GetString()!.AsSpan());
        }

        if (raw.Length <= 512)
        {
            Span<char> buffer = stackalloc char[raw.Length];
            var length = Encoding.UTF8.GetChars(raw, buffer);
            return StringHolds(buffer[..length]);
        }

        var rented = ArrayPool<char>.Shared.Rent(raw.Length);
        try
        {
            var length = Encoding.UTF8.GetChars(raw, rented);
            return StringHolds(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private bool StringHolds(ReadOnlySpan<char> text)
    {
        if (_minLength is not null || _maxLength is not null)
        {
            // Lengths count code points (a surrogate pair is one character).
            var length = text.Length;
            foreach (var c in text)
            {
                if (char.IsLowSurrogate(c))
                {
                    length--;
                }
            }

            if (length < _minLength || length > _maxLength)
            {
                return false;
            }
        }

        return _pattern is null || _pattern.IsMatch(text);
    }

    private bool ArrayHolds(JsonElement instance)
    {
        if (_minItems is { } min && instance.GetArrayLength() < min)
        {
            return false;
        }

        if (_items is not null)
        {
            foreach (var item in instance.EnumerateArray())
            {
                if (!_items.Holds(item))
                {
                    return false;
                }
            }
        }

        if (_contains is not null)
        {
            foreach (var item in instance.EnumerateArray())
            {
                if (_contains.Holds(item))
                {
                    return true;
                }
            }

            return false;
        }

        return true;
    }

    private bool ObjectHolds(JsonElement instance)
    {
        if (_required is not null)
        {
            foreach (var name in _required)
            {
                if (!instance.TryGetProperty(name, out _))
                {
                    return false;
                }
            }
        }

        if (_minProperties is { } min)
        {
            var count = 0;
            foreach (var unused in instance.EnumerateObject())
            {
                count++;
            }

            if (count < min)
            {
                return false;
            }
        }

        if (_properties is not null)
        {
            foreach (var (name, schema) in _properties)
            {
                if (instance.TryGetProperty(name, out var value) && !schema.Holds(value))
                {
                    return false;
                }
            }
        }

        if (_patternProperties is null && _additionalAllowed is null && _additional is null && _names is null)
        {
            return true;
        }

        // Property names are read as spans (decoded into this buffer), not strings: every object has a dozen.
        Span<char> buffer = stackalloc char[MaxSpanName];
        foreach (var property in instance.EnumerateObject())
        {
            var raw = JsonMarshal.GetRawUtf8PropertyName(property);
            var name = raw.Length <= MaxSpanName && raw.IndexOf((byte)'\\') < 0
                ? (ReadOnlySpan<char>)buffer[..Encoding.UTF8.GetChars(raw, buffer)]
                : property.Name.AsSpan();
            if (_names is not null && !_names.Holds(JsonSerializer.SerializeToElement(name.ToString())))
            {
                return false;
            }

            var matchedAny = _propertyNames is not null && _propertyNames.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name);
            if (_patternProperties is not null)
            {
                var matches = Matches(name);
                for (var i = 0; i < matches.Length; i++)
                {
                    if (matches[i])
                    {
                        matchedAny = true;
                        if (!_patternProperties[i].Schema.Holds(property.Value))
                        {
                            return false;
                        }
                    }
                }
            }

            if (!matchedAny && (_additionalAllowed == false || (_additional is not null && !_additional.Holds(property.Value))))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Which patternProperties patterns a property name matches, cached: the same few names recur in every object.</summary>
    private bool[] Matches(ReadOnlySpan<char> name)
    {
        if (_nameMatches!.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out var known))
        {
            return known;
        }

        var matches = new bool[_patternProperties!.Length];
        for (var i = 0; i < matches.Length; i++)
        {
            matches[i] = _patternProperties[i].Pattern.IsMatch(name);
        }

        if (_nameMatches.Count < NameCacheLimit)
        {
            _nameMatches.TryAdd(name.ToString(), matches);
        }

        return matches;
    }

    internal static SchemaPattern PatternOf(string pattern) => new(pattern);

    /// <summary>
    /// A schema's pattern. Most OASIS patterns are a type's id prefix ("^software--"): those are an ordinal prefix
    /// test, which is exactly what the regex matches. Any other is a regex that runs in time linear in its input (no
    /// backtracking: some nest quantifiers, like the type name's "([a-z][a-z0-9]*)+", which a backtracking engine can
    /// take exponential time over), built on first use: building one costs a few milliseconds, and the hundred patterns
    /// of the set were a fifth of a one-object <c>jisr stix import</c>, most of them for types the bundle never holds.
    /// </summary>
    internal sealed partial class SchemaPattern(string pattern)
    {
        private readonly string? _prefix = LiteralPrefix().IsMatch(pattern) ? pattern[1..] : null;
        private Regex? _regex;

        public bool IsMatch(ReadOnlySpan<char> text) => _prefix is not null
            ? text.StartsWith(_prefix, StringComparison.Ordinal)
            : (_regex ?? Build()).IsMatch(text);

        private Regex Build()
        {
            var regex = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
            Interlocked.CompareExchange(ref _regex, regex, null);
            return _regex;
        }

        /// <summary>"^" then letters, digits, '_' and '-' only: characters that match themselves.</summary>
        [GeneratedRegex("^\\^[A-Za-z0-9_-]+$", RegexOptions.CultureInvariant)]
        private static partial Regex LiteralPrefix();
    }

    /// <summary>Builds the nodes, one per (document, JSON pointer), so $refs (recursive ones included) share them.</summary>
    private sealed class Compiler(IReadOnlyDictionary<string, string> texts, Uri baseUri)
    {
        private readonly Dictionary<string, JsonElement> _documents = new(StringComparer.Ordinal);
        private readonly Dictionary<string, CompiledSchema> _nodes = new(StringComparer.Ordinal);

        public CompiledSchema Resolve(Uri reference)
        {
            var document = reference.GetLeftPart(UriPartial.Query);
            var pointer = Uri.UnescapeDataString(reference.Fragment.TrimStart('#'));
            var key = document + "#" + pointer;
            if (_nodes.TryGetValue(key, out var node))
            {
                return node;
            }

            var element = Document(document);
            foreach (var segment in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                var name = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                element = element.ValueKind == JsonValueKind.Array
                    ? element[int.Parse(name, CultureInfo.InvariantCulture)]
                    : element.TryGetProperty(name, out var child) ? child : throw new InvalidOperationException($"{key} does not resolve");
            }

            return Node(new Uri(document), pointer, element);
        }

        /// <summary>The node of the subschema at (document, pointer), made once: registered before its children, so a cycle finds it.</summary>
        private CompiledSchema Node(Uri document, string pointer, JsonElement element)
        {
            var key = document.GetLeftPart(UriPartial.Query) + "#" + pointer;
            if (_nodes.TryGetValue(key, out var node))
            {
                return node;
            }

            node = new CompiledSchema();
            _nodes[key] = node;
            Fill(node, element, document, pointer);
            return node;
        }

        private JsonElement Document(string uri)
        {
            if (_documents.TryGetValue(uri, out var root))
            {
                return root;
            }

            var relative = baseUri.MakeRelativeUri(new Uri(uri)).ToString();
            if (!texts.TryGetValue(relative, out var text))
            {
                throw new InvalidOperationException($"the schema {uri} is not in the set");
            }

            root = JsonDocument.Parse(text).RootElement.Clone();
            _documents[uri] = root;
            return root;
        }


        private void Fill(CompiledSchema node, JsonElement schema, Uri document, string pointer)
        {
            if (schema.ValueKind is JsonValueKind.True)
            {
                return;
            }

            if (schema.ValueKind is JsonValueKind.False)
            {
                node._false = true;
                return;
            }

            foreach (var keyword in schema.EnumerateObject())
            {
                var at = $"{pointer}/{keyword.Name}";
                var value = keyword.Value;
                switch (keyword.Name)
                {
                    case "type":
                        node._types = value.ValueKind == JsonValueKind.Array
                            ? value.EnumerateArray().Aggregate(TypeSet.None, (all, t) => all | TypeOf(t.GetString()!))
                            : TypeOf(value.GetString()!);
                        break;
                    case "$ref":
                        node._ref = Resolve(new Uri(document, value.GetString()!));
                        break;
                    case "required":
                        node._required = [.. value.EnumerateArray().Select(v => v.GetString()!)];
                        break;
                    case "enum":
                        node._enum = [.. value.EnumerateArray()];
                        break;
                    case "const":
                        node._const = value;
                        break;
                    case "pattern":
                        node._pattern = PatternOf(value.GetString()!);
                        break;
                    case "allOf":
                        node._allOf = [.. value.EnumerateArray().Select((v, i) => Node(document, $"{at}/{i}", v))];
                        break;
                    case "anyOf":
                        node._anyOf = [.. value.EnumerateArray().Select((v, i) => Node(document, $"{at}/{i}", v))];
                        break;
                    case "oneOf":
                        node._oneOf = [.. value.EnumerateArray().Select((v, i) => Node(document, $"{at}/{i}", v))];
                        break;
                    case "not":
                        node._not = Node(document, at, value);
                        break;
                    case "if":
                        node._if = Node(document, at, value);
                        break;
                    case "then":
                        node._then = Node(document, at, value);
                        break;
                    case "properties":
                        node._properties = [.. value.EnumerateObject().Select(p => (Encoding.UTF8.GetBytes(p.Name), Node(document, $"{at}/{Escape(p.Name)}", p.Value)))];
                        node._propertyNames = [.. value.EnumerateObject().Select(p => p.Name)];
                        break;
                    case "patternProperties":
                        node._patternProperties = [.. value.EnumerateObject().Select(p => (PatternOf(p.Name), Node(document, $"{at}/{Escape(p.Name)}", p.Value)))];
                        node._nameMatches = new ConcurrentDictionary<string, bool[]>(StringComparer.Ordinal);
                        break;
                    case "additionalProperties" when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                        node._additionalAllowed = value.ValueKind == JsonValueKind.True;
                        break;
                    case "additionalProperties":
                        node._additional = Node(document, at, value);
                        break;
                    case "propertyNames":
                        node._names = Node(document, at, value);
                        break;
                    case "items" when value.ValueKind is JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False:
                        node._items = Node(document, at, value);
                        break;
                    case "contains":
                        node._contains = Node(document, at, value);
                        break;
                    case "minItems":
                        node._minItems = value.GetInt32();
                        break;
                    case "minProperties":
                        node._minProperties = value.GetInt32();
                        break;
                    case "minLength":
                        node._minLength = value.GetInt32();
                        break;
                    case "maxLength":
                        node._maxLength = value.GetInt32();
                        break;
                    case "minimum":
                        node._minimum = value.GetDecimal();
                        break;
                    case "maximum":
                        node._maximum = value.GetDecimal();
                        break;
                    default:
                        if (!Annotations.Contains(keyword.Name))
                        {
                            throw new NotSupportedException($"{document}#{at}: the keyword '{keyword.Name}' is not one this validator implements");
                        }

                        break;
                }
            }

            if (node._then is null)
            {
                node._if = null; // 'if' without 'then' (or 'else') asserts nothing
            }
        }

        private static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

        private static TypeSet TypeOf(string name) => name switch
        {
            "object" => TypeSet.Object,
            "array" => TypeSet.Array,
            "string" => TypeSet.String,
            "number" => TypeSet.Number,
            "integer" => TypeSet.Integer,
            "boolean" => TypeSet.Boolean,
            "null" => TypeSet.Null,
            _ => throw new NotSupportedException($"unknown JSON type '{name}'"),
        };
    }
}

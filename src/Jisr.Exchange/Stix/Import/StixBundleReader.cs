namespace Jisr.Exchange.Stix.Import;

/// <summary>A bundle that cannot be read at all (not JSON, truncated, too big, not a bundle): nothing of it is imported.</summary>
public sealed class StixBundleException(string message) : Exception(message)
{
    public StixBundleException()
        : this("the bundle cannot be read")
    {
    }

    public StixBundleException(string message, Exception innerException)
        : this(message + ": " + innerException?.Message)
    {
    }
}

/// <summary>
/// Reads a STIX bundle one object at a time with <see cref="Utf8JsonReader"/>: only the object being read is in memory
/// (the buffer grows to the largest single object, capped), never the whole bundle. The bundle's own properties
/// (type, id) are read as they come; a 2.0 bundle's spec_version is refused.
/// </summary>
public sealed class StixBundleReader
{
    public const int MaxObjectBytes = 64 * 1024 * 1024;

    private readonly Stream _stream;
    private readonly long _maxBytes;
    private byte[] _buffer = new byte[256 * 1024];
    private int _start;
    private int _end;
    private bool _eof;
    private long _totalRead;
    private JsonReaderState _state;
    private Phase _phase = Phase.Start;

    public StixBundleReader(Stream stream, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _maxBytes = maxBytes;
        if (stream.CanSeek && stream.Length > maxBytes)
        {
            throw new StixBundleException($"bundle: the file is {stream.Length:N0} bytes, over the limit of {maxBytes:N0} (raise it with --max-bytes)");
        }
    }

    private enum Phase
    {
        Start,
        InBundle,
        InObjects,
        Done,
    }

    public string? BundleId { get; private set; }

    public string? BundleType { get; private set; }

    /// <summary>Bytes of the bundle read so far (where an error was found).</summary>
    public long Position => _totalRead - (_end - _start);

    /// <summary>The next object of the bundle's <c>objects</c>, or null at the end of the bundle.</summary>
    public JsonDocument? Next()
    {
        while (true)
        {
            if (_phase == Phase.Done)
            {
                return null;
            }

            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
            JsonDocument? found;
            bool complete;
            try
            {
                complete = Step(ref reader, out found);
            }
            catch (JsonException bad)
            {
                throw new StixBundleException($"bundle: not valid JSON near byte {Position + reader.BytesConsumed:N0} ({(_eof ? "truncated or malformed" : "malformed")}: {bad.Message.Split('.')[0]})");
            }

            if (complete)
            {
                _start += (int)reader.BytesConsumed;
                _state = reader.CurrentState;
                if (found is not null)
                {
                    return found;
                }

                continue;
            }

            if (_eof)
            {
                throw new StixBundleException($"bundle: the JSON ends before the bundle does (truncated at byte {Position + reader.BytesConsumed:N0})");
            }

            Fill();
        }
    }

    /// <summary>One unit: a bundle property with its value, or one object. False (nothing consumed) when more bytes are needed.</summary>
    private bool Step(ref Utf8JsonReader reader, out JsonDocument? found)
    {
        found = null;
        switch (_phase)
        {
            case Phase.Start:
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new StixBundleException("bundle: the file is not a JSON object (a STIX bundle is {\"type\": \"bundle\", ...})");
                }

                _phase = Phase.InBundle;
                return true;
            case Phase.InBundle:
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    _phase = Phase.Done;
                    if (BundleType != "bundle")
                    {
                        throw new StixBundleException("bundle: \"type\" must be \"bundle\"");
                    }

                    return true;
                }

                var name = reader.GetString();
                if (!reader.Read())
                {
                    return false;
                }

                switch (name)
                {
                    case "objects":
                        if (reader.TokenType != JsonTokenType.StartArray)
                        {
                            throw new StixBundleException("bundle: \"objects\" must be a list");
                        }

                        _phase = Phase.InObjects;
                        return true;
                    case "type" or "id" or "spec_version":
                        if (reader.TokenType != JsonTokenType.String)
                        {
                            throw new StixBundleException($"bundle: \"{name}\" must be a string");
                        }

                        var value = reader.GetString();
                        if (name == "type")
                        {
                            BundleType = value;
                            if (value != "bundle")
                            {
                                throw new StixBundleException($"bundle: \"type\" is \"{value}\", not \"bundle\"");
                            }
                        }
                        else if (name == "id")
                        {
                            BundleId = value;
                        }
                        else if (value != "2.1")
                        {
                            throw new StixBundleException($"bundle: spec_version '{value}': Jisr reads STIX 2.1 bundles");
                        }

                        return true;
                    default:
                        return reader.TrySkip();
                }

            case Phase.InObjects:
                if (!reader.Read())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    _phase = Phase.InBundle;
                    return true;
                }

                if (!JsonDocument.TryParseValue(ref reader, out found))
                {
                    return false;
                }

                return true;
            default:
                return true;
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= MaxObjectBytes)
            {
                throw new StixBundleException($"bundle: one object is larger than {MaxObjectBytes:N0} bytes near byte {Position:N0}");
            }

            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
            return;
        }

        _end += read;
        _totalRead += read;
        if (_totalRead > _maxBytes)
        {
            throw new StixBundleException($"bundle: more than {_maxBytes:N0} bytes, over the limit (raise it with --max-bytes)");
        }
    }
}

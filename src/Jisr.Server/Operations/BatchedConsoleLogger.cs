using System.Buffers;
using System.Text;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Jisr.Server.Operations;

/// <summary>
/// The node's console log, written in batches. Each line is formatted by the framework's own console formatter (the
/// one <c>Logging:Console:FormatterName</c> names: simple by default, json, systemd), so the log reads exactly as the
/// stock console logger's; what changes is how it reaches the file or pipe. The stock logger hands every line to its
/// thread and writes it with one system call; at thousands of requests a second that was a fifth of the cost of a
/// cheap request. Here a line is appended to a shared buffer, and one flusher writes whatever gathered, at most
/// <see cref="FlushInterval"/> after the first line of a batch, with one write. Nothing is dropped: a burst larger than
/// <see cref="MaxBufferedChars"/> is written by the logging thread itself, and disposing (the host's graceful stop, or
/// the process exiting) writes what is left.
/// </summary>
[ProviderAlias("Console")] // Logging:Console:LogLevel filters apply to it as to the stock console logger
public sealed class BatchedConsoleLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    /// <summary>How long a line may wait for its batch: short enough for someone watching the log, long enough to gather many lines.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Past this many characters waiting, the caller writes the batch at once (back-pressure instead of unbounded memory).</summary>
    public const int MaxBufferedChars = 1 << 20;

    [ThreadStatic]
    private static StringWriter? t_lineWriter;

    private readonly ConsoleFormatter _formatter;
    private readonly LogLevel _errorThreshold;
    private readonly Stream _stdout;
    private readonly Stream _stderr;
    private readonly Lock _gate = new();
    private readonly Lock _writeGate = new();
    private readonly AutoResetEvent _firstLine = new(false);
    private readonly Thread _flusher;
    private readonly Encoder _encoder = new UTF8Encoding(false).GetEncoder();
    private StringBuilder _out = new();
    private StringBuilder _err = new();
    private StringBuilder _spareOut = new();
    private StringBuilder _spareErr = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();
    private volatile bool _stopping;
    private int _disposed;

    public BatchedConsoleLoggerProvider(IOptionsMonitor<ConsoleLoggerOptions> options, IEnumerable<ConsoleFormatter> formatters)
        : this(options, formatters, Console.OpenStandardOutput(), Console.OpenStandardError())
    {
    }

    /// <summary>A provider that writes to the given streams (tests read what it wrote).</summary>
    public BatchedConsoleLoggerProvider(IOptionsMonitor<ConsoleLoggerOptions> options, IEnumerable<ConsoleFormatter> formatters, Stream stdout, Stream stderr)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(formatters);
        var settings = options.CurrentValue;
        var name = settings.FormatterName ?? ConsoleFormatterNames.Simple;
        var all = formatters.ToList();
        _formatter = all.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? all.FirstOrDefault(f => f.Name == ConsoleFormatterNames.Simple)
            ?? throw new InvalidOperationException($"no console log formatter named '{name}'");
        _errorThreshold = settings.LogToStandardErrorThreshold;
        _stdout = stdout;
        _stderr = stderr;
        _flusher = new Thread(FlushLoop) { IsBackground = true, Name = "Jisr console log" };
        _flusher.Start();
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>Replaces the stock console logger (registered by the host builder) with this one; its formatters and options stay.</summary>
    public static void Replace(ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        foreach (var stock in logging.Services.Where(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider)).ToList())
        {
            logging.Services.Remove(stock);
        }

        logging.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, BatchedConsoleLoggerProvider>());
    }

    public ILogger CreateLogger(string categoryName) => new BatchedConsoleLogger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        _stopping = true;
        _firstLine.Set();
        _flusher.Join();
        Flush();
        _firstLine.Dispose();
    }

    private void OnProcessExit(object? sender, EventArgs e) => Flush();

    private void Write<TState>(in LogEntry<TState> entry)
    {
        var writer = t_lineWriter ??= new StringWriter(CultureInfo.InvariantCulture);
        var line = writer.GetStringBuilder();
        line.Clear();
        _formatter.Write(in entry, _scopes, writer);
        if (line.Length == 0)
        {
            return;
        }

        bool first;
        bool full;
        lock (_gate)
        {
            var target = entry.LogLevel >= _errorThreshold ? _err : _out;
            first = _out.Length == 0 && _err.Length == 0;
            target.Append(line);
            full = _out.Length + _err.Length >= MaxBufferedChars;
        }

        // A rare long line (an exception's stack) must not keep its memory on this thread for good (emptied first:
        // a capacity below the length would throw, in the middle of whatever request was logging).
        line.Clear();
        if (line.Capacity > 4096)
        {
            line.Capacity = 1024;
        }

        if (full || _disposed == 1)
        {
            Flush();
        }
        else if (first)
        {
            try
            {
                _firstLine.Set();
            }
            catch (ObjectDisposedException)
            {
                Flush(); // disposed meanwhile: nobody flushes after us
            }
        }
    }

    private void FlushLoop()
    {
        while (!_stopping)
        {
            _firstLine.WaitOne();
            if (!_stopping)
            {
                Thread.Sleep(FlushInterval); // let the batch gather
            }

            Flush();
        }
    }

    /// <summary>Writes everything gathered so far: one write per stream. Writers take turns, so batches keep their order.</summary>
    private void Flush()
    {
        lock (_writeGate)
        {
            lock (_gate)
            {
                (_out, _spareOut) = (_spareOut, _out);
                (_err, _spareErr) = (_spareErr, _err);
            }

            WriteAndClear(_spareOut, _stdout);
            WriteAndClear(_spareErr, _stderr);
        }
    }

    private void WriteAndClear(StringBuilder text, Stream stream)
    {
        if (text.Length == 0)
        {
            return;
        }

        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = 0;
            foreach (var chunk in text.GetChunks())
            {
                length += _encoder.GetBytes(chunk.Span, bytes.AsSpan(length), flush: false);
            }

            length += _encoder.GetBytes([], bytes.AsSpan(length), flush: true);
            stream.Write(bytes, 0, length);
            stream.Flush();
        }
        catch (IOException)
        {
            // A closed console (a pipe whose reader left) must not take the node down; the lines are lost, as the stock logger's would be.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            _encoder.Reset();
            text.Clear();
            if (text.Capacity > MaxBufferedChars)
            {
                text.Capacity = MaxBufferedChars; // after a burst, give the memory back
            }
        }
    }

    private sealed class BatchedConsoleLogger(string category, BatchedConsoleLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter));
            }
        }
    }
}

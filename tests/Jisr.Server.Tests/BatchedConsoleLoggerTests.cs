using System.Text;
using System.Text.Json;
using Jisr.Server.Operations;
using Jisr.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Jisr.Server.Tests;

/// <summary>
/// The node's batched console log: the same text as the framework's console logger, every line kept (also from many
/// threads at once, and those still waiting when the node stops), and lines out within moments without a stop.
/// </summary>
public sealed class BatchedConsoleLoggerTests
{
    [Fact]
    public async Task TheNode_LogsThroughTheBatchedConsoleLogger_InsteadOfTheStockOne()
    {
        await using var node = await TestNode.StartAsync();

        var providers = node.App.Services.GetServices<ILoggerProvider>().ToList();

        Assert.Contains(providers, p => p is BatchedConsoleLoggerProvider);
        Assert.DoesNotContain(providers, p => p is ConsoleLoggerProvider);
    }

    [Fact]
    public void ALine_ReadsExactlyAsTheStockSimpleFormatterWritesIt()
    {
        using var services = Services(formatter: null);
        var stdout = new SharedStream();
        var provider = new BatchedConsoleLoggerProvider(services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>(), services.GetServices<ConsoleFormatter>(), stdout, new SharedStream());

        provider.CreateLogger("Jisr.Requests").LogInformation(new EventId(10), "GET {Route} 200 by {User}", "/api/v1/me", "ناصر");
        provider.Dispose();

        var simple = services.GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Simple);
        using var expected = new StringWriter();
        simple.Write(new LogEntry<string>(LogLevel.Information, "Jisr.Requests", new EventId(10), "GET /api/v1/me 200 by ناصر", null, (s, _) => s), null, expected);
        Assert.Equal(expected.ToString(), stdout.Text());
        Assert.Equal("info: Jisr.Requests[10]" + Environment.NewLine + "      GET /api/v1/me 200 by ناصر" + Environment.NewLine, stdout.Text());
    }

    [Fact]
    public void ALongLine_AnExceptionsStack_IsWritten_AndTheNextLineToo()
    {
        using var services = Services(formatter: null);
        var stdout = new SharedStream();
        var provider = new BatchedConsoleLoggerProvider(services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>(), services.GetServices<ConsoleFormatter>(), stdout, new SharedStream());
        var logger = provider.CreateLogger("Jisr.Requests");
        var failure = new InvalidOperationException(new string('s', 10_000));

        logger.LogError(failure, "the long one");
        logger.LogInformation("the short one");
        provider.Dispose();

        var text = stdout.Text();
        Assert.Contains(new string('s', 10_000), text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("the long one", StringComparison.Ordinal) < text.IndexOf("the short one", StringComparison.Ordinal));
    }

    [Fact]
    public void ManyThreads_LoseNoLine_AndEachThreadsLinesKeepTheirOrder()
    {
        using var services = Services(formatter: ConsoleFormatterNames.Json);
        var stdout = new SharedStream();
        var provider = new BatchedConsoleLoggerProvider(services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>(), services.GetServices<ConsoleFormatter>(), stdout, new SharedStream());
        const int threads = 8;
        const int perThread = 5000; // ~2 MB of JSON: more than the buffer holds, so callers also write batches themselves

        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, thread =>
        {
            var logger = provider.CreateLogger("Jisr.Requests");
            for (var i = 0; i < perThread; i++)
            {
                logger.LogInformation("line {Thread} {Index} {Padding}", thread, i, new string('x', 200));
            }
        });
        provider.Dispose();

        var last = Enumerable.Repeat(-1, threads).ToArray();
        var lines = stdout.Text().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(threads * perThread, lines.Length);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            var state = json.RootElement.GetProperty("State");
            var thread = Number(state.GetProperty("Thread"));
            var index = Number(state.GetProperty("Index"));
            Assert.Equal(last[thread] + 1, index);
            last[thread] = index;
        }
    }

    [Fact]
    public async Task ALine_IsWrittenWithinMoments_WithoutAStop()
    {
        using var services = Services(formatter: null);
        var stdout = new SharedStream();
        using var provider = new BatchedConsoleLoggerProvider(services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>(), services.GetServices<ConsoleFormatter>(), stdout, new SharedStream());

        provider.CreateLogger("Jisr.Requests").LogWarning("first");
        for (var waited = 0; waited < 100 && stdout.Text().Length == 0; waited++)
        {
            await Task.Delay(100);
        }

        Assert.Contains("first", stdout.Text(), StringComparison.Ordinal);

        // A second batch after the first was written (the flusher waits again, it does not stop after one).
        provider.CreateLogger("Jisr.Requests").LogWarning("second");
        for (var waited = 0; waited < 100 && !stdout.Text().Contains("second", StringComparison.Ordinal); waited++)
        {
            await Task.Delay(100);
        }

        Assert.Contains("second", stdout.Text(), StringComparison.Ordinal);
    }

    private static int Number(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetInt32() : int.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    private static ServiceProvider Services(string? formatter) =>
        new ServiceCollection()
            .AddLogging(logging => logging.AddConsole(o => o.FormatterName = formatter ?? ConsoleFormatterNames.Simple))
            .Configure<SimpleConsoleFormatterOptions>(o => o.ColorBehavior = LoggerColorBehavior.Disabled)
            .BuildServiceProvider();

    /// <summary>A memory stream the flusher writes and the test reads at the same time.</summary>
    private sealed class SharedStream : MemoryStream
    {
        private readonly Lock _gate = new();

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (_gate)
            {
                base.Write(buffer, offset, count);
            }
        }

        public string Text()
        {
            lock (_gate)
            {
                return Encoding.UTF8.GetString(GetBuffer(), 0, (int)Length);
            }
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Jisr.Cli.Tests;

/// <summary>Runs the real <c>jisr</c> command as a separate process, as a user would.</summary>
internal static class Jisr
{
    /// <summary>
    /// The command under test: the published, ReadyToRun-compiled build that <c>scripts/test</c> names in
    /// <c>JISR_TEST_CLI</c> (what a deployment runs; it starts in about half the CPU time of the JIT-only build, and
    /// these tests start it hundreds of times), else the jisr.dll built beside the tests.
    /// </summary>
    private static readonly string Dll = Environment.GetEnvironmentVariable("JISR_TEST_CLI") is { Length: > 0 } published
        ? File.Exists(published) ? published : throw new FileNotFoundException($"JISR_TEST_CLI names {published}, which does not exist: publish jisr there (scripts/test does) or unset it", published)
        : Path.Combine(AppContext.BaseDirectory, "jisr.dll");

    /// <summary>
    /// The node key passphrase that the commands started from the current test (and only those) get in
    /// <c>JISR_NODE_KEY_PASSPHRASE</c>. Never the process's own environment: tests run in parallel, and a passphrase one
    /// test sets must not reach the nodes another test starts.
    /// </summary>
    public static readonly AsyncLocal<string?> NodeKeyPassphrase = new();

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string[] OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public static async Task<Result> RunWithInputAsync(string input, params string[] args)
    {
        using var process = Start(args, redirectInput: true);
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }

    public static Task<Result> RunAsync(params string[] args) => RunWithInputAsync(string.Empty, args);

    public static Process Start(string[] args, bool redirectInput = false)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        if (NodeKeyPassphrase.Value is { } passphrase)
        {
            info.Environment[Storage.Federation.NodeKey.PassphraseVariable] = passphrase;
        }
        else
        {
            info.Environment.Remove(Storage.Federation.NodeKey.PassphraseVariable);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start jisr");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until <c>GET /health</c> answers 200.</summary>
    public static async Task WaitForHealthAsync(Uri baseAddress, Process process)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"jisr serve exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
            }

            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // not answering yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("jisr serve did not become healthy within 60 s");
    }
}

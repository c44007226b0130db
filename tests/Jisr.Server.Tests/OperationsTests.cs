using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Jisr.Domain.Common;
using Jisr.Domain.Users;
using Jisr.Server.Operations;
using Jisr.Storage;
using Jisr.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Jisr.Server.Tests;

/// <summary>What an operator relies on: health, metrics, request logs without secrets, HTTPS with HSTS, options checked at start.</summary>
public sealed class OperationsTests
{
    [Fact]
    public async Task Health_IsLive_AndReadyOnlyWhenTheNodeCanServe()
    {
        await using var node = await TestNode.StartAsync();
        var client = node.CreateClient();

        Assert.Equal("live", (await client.GetFromJsonAsync<JsonObject>("/health/live"))!["status"]!.GetValue<string>());
        Assert.Equal("ready", (await client.GetFromJsonAsync<JsonObject>("/health/ready"))!["status"]!.GetValue<string>());

        var readiness = node.App.Services.GetRequiredService<NodeReadiness>();
        readiness.Starting("the demo data set is being loaded");
        var starting = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, starting.StatusCode);
        Assert.Contains("demo data set", await starting.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);

        readiness.Ready();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Health_IsNotReady_OnADatabaseWithoutItsMigrations()
    {
        await using var database = await TestDatabase.CreateAsync("sqlite", migrate: false);
        await using var app = JisrNode.Build(new NodeOptions(database.Location, "http://127.0.0.1:0"));
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("jisr migrate", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task Metrics_AreServedForPrometheus_WithRequestTimingsAndTheAuditQueue()
    {
        await using var node = await TestNode.StartAsync();
        var user = await node.AddUserAsync(await node.AddAgencyAsync("MA-MET"), "analyst.met", [Role.Analyst]);
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync("/api/v1/records")).StatusCode);

        var metrics = await node.CreateClient().GetStringAsync("/metrics");

        Assert.Contains("jisr_audit_queue_depth", metrics, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket", metrics, StringComparison.Ordinal);
        Assert.Matches("http_route=\"/?api/v1/records/?\"", metrics);
    }

    [Fact]
    public async Task RequestLog_HasTheRoute_ButNeverTheQueryOrTheToken()
    {
        var lines = new ConcurrentQueue<string>();
        await using var node = await TestNode.StartAsync(configure: builder => builder.Logging.AddProvider(new CapturingLoggerProvider(lines)));
        var user = await node.AddUserAsync(await node.AddAgencyAsync("MA-LOG"), "analyst.log", [Role.Analyst]);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/persons/match?name=Zoubida%20Secretname");
        request.Headers.Add("X-Jisr-Purpose", "log test");
        Assert.Equal(HttpStatusCode.OK, (await user.Client.SendAsync(request)).StatusCode);

        var line = Assert.Single(lines, l => l.Contains("persons/match", StringComparison.Ordinal));
        Assert.Contains("GET /api/v1/persons/match 200", line, StringComparison.Ordinal);
        Assert.Contains(user.Id.ToString("D"), line, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains("Secretname", StringComparison.OrdinalIgnoreCase) || l.Contains(user.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithACertificate_TheNodeServesHttps_WithHsts()
    {
        var directory = Directory.CreateTempSubdirectory("jisr-tls-");
        try
        {
            var pfx = Path.Combine(directory.FullName, "node.pfx");
            using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            {
                var request = new CertificateRequest("CN=jisr-test-node", key, HashAlgorithmName.SHA256);
                using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
                await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pkcs12, "pfx password"));
            }

            await using var database = await TestDatabase.CreateAsync("sqlite");
            await using var app = await JisrNode.StartAsync(new NodeOptions(database.Location, "https://127.0.0.1:0") { CertificatePath = pfx, CertificatePassword = "pfx password" });
            using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Subject == "CN=jisr-test-node" };
            using var client = new HttpClient(handler) { BaseAddress = new Uri(app.Urls.First()) };

            var health = await client.GetAsync("/health");

            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.StartsWith("max-age=31536000", health.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
            await app.StopAsync();

            var wrongPassword = Assert.Throws<DomainValidationException>(() => new NodeOptions(database.Location, "https://127.0.0.1:0") { CertificatePath = pfx, CertificatePassword = "wrong" }.Validate());
            Assert.Equal("--certificate", wrongPassword.Field);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("https://127.0.0.1:5443", "is https: give the node its certificate")]
    [InlineData("ftp://127.0.0.1:21", "is not an http:// or https:// address")]
    [InlineData(" ", "give at least one address")]
    public void Options_AreCheckedAtStart_WithAMessageThatSaysWhatToFix(string urls, string message)
    {
        var invalid = Assert.Throws<DomainValidationException>(() => new NodeOptions(DatabaseLocation.Parse("sqlite:x.db"), urls).Validate());

        Assert.Equal("--urls", invalid.Field);
        Assert.Contains(message, invalid.Reason, StringComparison.Ordinal);
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(lines);

        public void Dispose()
        {
        }

        private sealed class CapturingLogger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception));
        }
    }
}

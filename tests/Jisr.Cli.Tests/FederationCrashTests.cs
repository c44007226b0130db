using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Users;
using Jisr.Exchange.Federation;
using Jisr.Server.Federation;
using Jisr.Storage;
using Jisr.Storage.Audit;
using Jisr.Storage.Federation;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;

namespace Jisr.Cli.Tests;

/// <summary>
/// The sending node is a real <c>jisr serve</c> process, killed with SIGKILL in the middle of a burst of releases and
/// started again, while the receiving node is stopped for part of the burst and started again after: afterwards every
/// release the sender acknowledged (and committed) is on the partner's node exactly once, none lost, none duplicated,
/// and both audit chains verify. CI runs a burst of 40; the 1,000 is opt-in:
/// <c>JISR_FEDERATION_CRASH_RELEASES=1000 dotnet test tests/Jisr.Cli.Tests --filter FederationCrashTests</c>.
/// </summary>
[Collection("node key passphrase")]
public sealed class FederationCrashTests : IDisposable
{
    private const string Passphrase = "crash test node passphrase";

    /// <summary>The burst's size: 40 by default (CI time), the 1,000 when the variable says so.</summary>
    private static readonly int Burst = int.TryParse(Environment.GetEnvironmentVariable("JISR_FEDERATION_CRASH_RELEASES"), out var n) && n >= 8 ? n : 40;

    /// <summary>How long to wait for the partner to hold every copy: the back-off after a long outage grows with the burst.</summary>
    private static readonly int WaitSeconds = 90 + (Burst / 4);
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("jisr-fed-crash-");

    [Fact]
    public async Task ASenderKilledMidBurst_DeliversEveryCommittedReleaseExactlyOnce_AfterItsRestart()
    {
        Jisr.NodeKeyPassphrase.Value = Passphrase;
        Process? sender = null;
        try
        {
            await using var partner = await TestNode.StartFederatedAsync();
            var es = await partner.AddAgencyAsync("ES-CNP", "ES");
            var esAdmin = await partner.AddUserAsync(es, "admin.es", [Role.Administrator]);
            var esOperator = await partner.AddUserAsync(es, "operator.es", [Role.NodeAdministrator]);

            var path = Path.Combine(_directory.FullName, "ma.db");
            var db = $"sqlite:{path}";
            Assert.Equal(0, (await Jisr.RunAsync("agency", "add", "--db", db, "--code", "MA-DGST", "--name", "DGST", "--country", "MA")).ExitCode);
            Assert.Equal(0, (await Jisr.RunAsync("user", "add", "--db", db, "--agency", "MA-DGST", "--user", "admin.ma", "--role", "administrator")).ExitCode);
            Assert.Equal(0, (await Jisr.RunAsync("user", "add", "--db", db, "--agency", "MA-DGST", "--user", "analyst.ma", "--role", "analyst")).ExitCode);
            var adminToken = (await Jisr.RunAsync("token", "create", "--db", db, "--user", "admin.ma")).OutputLines[^1];
            var analystToken = (await Jisr.RunAsync("token", "create", "--db", db, "--user", "analyst.ma")).OutputLines[^1];
            var peered = await Jisr.RunAsync("peer", "add", "--db", db, "--url", partner.BaseAddress.ToString(), "--fingerprint", partner.Fingerprint!);
            Assert.True(peered.ExitCode == 0, peered.Error);
            var fingerprint = (await Jisr.RunAsync("node", "show", "--db", db)).OutputLines.Single(l => l.StartsWith("fingerprint\t", StringComparison.Ordinal)).Split('\t')[1];

            var address = new Uri($"https://127.0.0.1:{Jisr.FreePort()}/");
            sender = await StartAsync(db, address, fingerprint);
            (await esOperator.Client.PostAsJsonAsync("/api/v1/federation/peers", new { url = address.ToString(), fingerprint })).EnsureSuccessStatusCode();
            using var admin = Client(address, fingerprint, adminToken);
            using var analyst = Client(address, fingerprint, analystToken);
            var proposed = await admin.PostAsJsonAsync("/api/v1/agreements", new
            {
                partner = "ES-CNP",
                threatDomains = new[] { "drug-trafficking", "organised-crime" },
                highestClassification = "CONFIDENTIAL",
                handlingCodes = new[] { "H1" },
                validFrom = DateOnly.FromDateTime(DateTime.UtcNow),
                validUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1),
            });
            var agreement = (await proposed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
            await UntilAsync(async () => (await esAdmin.Client.PostAsync($"/api/v1/agreements/{agreement}/accept", null)).IsSuccessStatusCode);
            await UntilAsync(async () => (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/agreements/{agreement}"))!["status"]!.GetValue<string>() == "in-force");

            // The burst: releases one after the other; the partner stops after a quarter of them; SIGKILL of the sender
            // after three eighths, whatever is in flight; the sender restarts and the burst goes on; the partner starts
            // again half-way through the rest.
            var acknowledged = new List<Guid>();
            var made = 0;
            for (; made < Burst && !sender.HasExited; made++)
            {
                if (made == Burst / 4)
                {
                    await partner.StopAsync();
                }

                if (await ReleaseAsync(analyst, made) is not { } copy)
                {
                    break; // the node is gone
                }

                acknowledged.Add(copy);
                if (acknowledged.Count == Burst * 3 / 8)
                {
                    sender.Kill(entireProcessTree: true);
                }
            }

            await sender.WaitForExitAsync();
            sender.Dispose();
            sender = null; // a failure before the restart must not be hidden by the clean-up touching a disposed process
            Assert.True(made < Burst, "the sender was killed in the middle of the burst");
            sender = await StartAsync(db, address, fingerprint);
            var partnerBack = (made + Burst) / 2;
            for (made++; made < Burst; made++)
            {
                if (made == partnerBack)
                {
                    await partner.StartAgainAsync();
                }

                acknowledged.Add(await ReleaseAsync(analyst, made) ?? throw new InvalidOperationException("the restarted sender stopped answering"));
            }

            if (partnerBack >= Burst)
            {
                await partner.StartAgainAsync();
            }

            // Every release committed on the sender (at least those it acknowledged) arrives, each exactly once.
            List<Guid> committed;
            await using (var senderDb = JisrDatabase.Open(DatabaseLocation.Parse(db)))
            {
                committed = [.. (await senderDb.Releases.Select(r => r.CopyRecordId).ToListAsync()).OfType<Domain.Common.RecordId>().Select(c => c.Value)];
            }

            Assert.Superset(acknowledged.ToHashSet(), committed.ToHashSet());
            await UntilAsync(async () =>
            {
                await using var partnerDb = partner.Database.Open();
                return await partnerDb.Records.CountAsync(r => r.HolderAgencyId == es.Id) >= committed.Count;
            }, WaitSeconds);
            await using (var partnerDb = partner.Database.Open())
            {
                var copies = (await partnerDb.Records.Where(r => r.HolderAgencyId == es.Id).Select(r => r.Id).ToListAsync()).Select(c => c.Value).ToList();
                Assert.Equal(committed.Order(), copies.Order());
                // The releases and the proposal, each once (audit checkpoints the sender gossips after its restart are not counted).
                Assert.Equal(committed.Count, await partnerDb.Set<InboxMessage>().CountAsync(m => m.Type == FederationMessageTypes.ReleaseDeliver));
                Assert.Equal(1, await partnerDb.Set<InboxMessage>().CountAsync(m => m.Type == FederationMessageTypes.AgreementPropose));
                Assert.True((await AuditVerifier.VerifyAsync(partnerDb)).IsIntact);
            }

            sender.Kill(entireProcessTree: true);
            await sender.WaitForExitAsync();
            await using (var senderDb = JisrDatabase.Open(DatabaseLocation.Parse(db)))
            {
                Assert.True((await AuditVerifier.VerifyAsync(senderDb)).IsIntact);
            }
        }
        finally
        {
            Jisr.NodeKeyPassphrase.Value = null;
            if (sender is { HasExited: false })
            {
                sender.Kill(entireProcessTree: true);
            }

            sender?.Dispose();
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }

    /// <summary>Writes a record and releases it to ES-CNP; the copy's id, or null when the sender is gone.</summary>
    private static async Task<Guid?> ReleaseAsync(HttpClient analyst, int i)
    {
        try
        {
            var record = (await (await analyst.PostAsJsonAsync("/api/v1/records", RecordRequests.Valid(title: $"Rafale {i}"))).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
            var released = await analyst.PostAsJsonAsync($"/api/v1/records/{record}/releases", new { agency = "ES-CNP" });
            return (await released.Content.ReadFromJsonAsync<JsonObject>())!["copy"]!.GetValue<Guid>();
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<Process> StartAsync(string db, Uri address, string fingerprint)
    {
        var process = Jisr.Start(["serve", "--db", db, "--urls", address.GetLeftPart(UriPartial.Authority)]);
        using var client = Client(address, fingerprint, null);
        await UntilAsync(async () =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"jisr serve exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
            }

            try
            {
                return (await client.GetAsync("/health")).IsSuccessStatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, 180); // a restart after SIGKILL took over 90 s at a load average of 55 on two cores
        return process;
    }

    private static HttpClient Client(Uri address, string fingerprint, string? token)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && PeerChannel.FingerprintOf(certificate) == fingerprint;
        var client = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, int seconds = 90)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"not within {seconds} s");
    }
}

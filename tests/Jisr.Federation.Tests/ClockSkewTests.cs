using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Testing;

namespace Jisr.Federation.Tests;

/// <summary>
/// A partner whose clock is 10 minutes behind sees the sender's messages as coming from the future: it refuses them
/// with a reason that says so (beyond the 5-minute tolerance), the sender keeps them pending and retries, and once the
/// clocks agree again delivery resumes where it stopped, nothing lost.
/// </summary>
public sealed class ClockSkewTests
{
    [Fact]
    public async Task APartnerClockTenMinutesOff_RefusesWithAClearReason_AndDeliveryResumesOnceFixed()
    {
        var spainClock = new AdjustableClock(DateTimeOffset.UtcNow.AddMinutes(-10));
        await using var morocco = await AgencyNode.StartAsync("MA-DGST", "MA");
        await using var spain = await AgencyNode.StartAsync("ES-CNP", "ES", spainClock);
        await morocco.PeerWithAsync(spain);
        await spain.PeerWithAsync(morocco);

        var proposed = await morocco.Administrator.Client.PostAsJsonAsync("/api/v1/agreements", new
        {
            partner = "ES-CNP",
            threatDomains = new[] { "terrorism" },
            highestClassification = "RESTRICTED",
            handlingCodes = new[] { "H1" },
            validFrom = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(1)),
            validUntil = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1),
        });
        var id = (await proposed.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();

        await Eventually.HoldsAsync(
            async () => (await morocco.MessagesAsync()).Any(m => m!["lastError"]?.GetValue<string>().Contains("ahead of this node's clock", StringComparison.Ordinal) == true),
            "the partner refuses the message as made in its future");
        Assert.All(await morocco.MessagesAsync(), m => Assert.Equal("pending", m!["status"]!.GetValue<string>()));
        Assert.Null(await spain.AgreementAsync(id));

        spainClock.Advance(TimeSpan.FromMinutes(10));
        await Eventually.HoldsAsync(async () => await spain.AgreementAsync(id) is not null, "delivery resumes once the clocks agree", seconds: 60);

        // ES-CNP applies the message before MA-DGST records its acknowledgement: the status follows a moment later.
        await Eventually.HoldsAsync(
            async () => (await morocco.MessagesAsync()).All(m => m!["status"]!.GetValue<string>() == "delivered"),
            "MA-DGST records every message as delivered");
    }

    /// <summary>
    /// The retry of a refused message is timed on the sender's wall clock; a sender whose clock stands still (or stepped
    /// back) must still try again once its back-off has passed. (Before, the message waited for the wall clock to reach
    /// its next attempt: forever on a test node's frozen clock, so one refused or failed attempt stalled that node's
    /// delivery to the peer for good.)
    /// </summary>
    [Fact]
    public async Task ASenderWhoseClockStandsStill_TriesARefusedMessageAgain_AfterItsBackoff()
    {
        var moroccoClock = new AdjustableClock(DateTimeOffset.UtcNow);
        var spainClock = new AdjustableClock(DateTimeOffset.UtcNow.AddMinutes(-10));
        await using var morocco = await AgencyNode.StartAsync("MA-DGST", "MA", moroccoClock);
        await using var spain = await AgencyNode.StartAsync("ES-CNP", "ES", spainClock);
        await morocco.PeerWithAsync(spain);
        await spain.PeerWithAsync(morocco);

        var id = await morocco.ProposeAsync("ES-CNP", ["terrorism"], ["H1"]);
        await Eventually.HoldsAsync(
            async () => (await morocco.MessagesAsync()).Any(m => m!["lastError"]?.GetValue<string>().Contains("ahead of this node's clock", StringComparison.Ordinal) == true),
            "the partner refuses the message as made in its future");

        // The partner's clock is put right; the sender's has not moved since it wrote the message.
        spainClock.Advance(TimeSpan.FromMinutes(10));
        await Eventually.HoldsAsync(
            async () => await spain.AgreementAsync(id) is not null,
            () => $"the sender tries again although its clock stands still; MA-DGST's messages: {morocco.MessagesAsync().GetAwaiter().GetResult().ToJsonString()}",
            seconds: 60);
        await Eventually.HoldsAsync(async () => (await morocco.MessagesAsync()).All(m => m!["status"]!.GetValue<string>() == "delivered"), "MA-DGST records the message as delivered");
    }
}

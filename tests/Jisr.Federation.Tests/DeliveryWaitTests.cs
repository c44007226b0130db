using Jisr.Storage.Federation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Federation.Tests;

/// <summary>
/// While a partner is down, delivery waits for the back-off of the first message in line: the messages queued behind
/// it (never tried, so "due" by their own time) cannot go before it, and must not make the worker poll without pause.
/// </summary>
public sealed class DeliveryWaitTests : TwoPeeredNodes
{
    [Fact]
    public async Task ThePeerDown_TheNextRound_IsTheFirstMessagesRetry_NotTheTimeOfThoseBehindIt()
    {
        await Spain.Node.StopAsync();
        for (var i = 0; i < 3; i++)
        {
            await Morocco.ProposeAsync("ES-CNP", ["terrorism"], ["H1"]);
        }

        await Eventually.HoldsAsync(async () => (await PendingAsync())[0].Attempts > 0, "a delivery attempt fails while ES-CNP is down");

        // A long outage: the first message's next retry is minutes away (set until the worker's own failure record
        // stops overwriting it; after 12 attempts its back-off is the longest anyway).
        var retryAfter = DateTimeOffset.UtcNow.AddMinutes(4);
        await Eventually.HoldsAsync(async () =>
        {
            var first = (await PendingAsync())[0];
            await using (var db = Morocco.Node.Database.Open())
            {
                await db.Set<OutboxMessage>().Where(m => m.Id == first.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, DateTimeOffset.UtcNow.AddMinutes(10)).SetProperty(m => m.Attempts, 12));
            }

            await Task.Delay(300);
            return (await PendingAsync())[0].NextAttemptAt > retryAfter;
        }, "the back-off is set");

        var pending = await PendingAsync();
        Assert.Equal(3, pending.Count);
        Assert.All(pending.Skip(1), m => Assert.True(m.Attempts == 0 && m.NextAttemptAt < DateTimeOffset.UtcNow, "the messages behind the first were never tried"));

        await using var scope = Morocco.Node.App.Services.CreateAsyncScope();
        var next = await scope.ServiceProvider.GetRequiredService<FederationStore>().NextDueAsync(CancellationToken.None);
        Assert.NotNull(next);
        Assert.True(next > retryAfter, $"the next round is due at {next:O}: the time of a message waiting behind the first, so delivery would poll without pause");
        Assert.Equal((await PendingAsync())[0].NextAttemptAt, next);
    }

    private async Task<List<OutboxMessage>> PendingAsync()
    {
        await using var db = Morocco.Node.Database.Open();
        return await db.Set<OutboxMessage>().AsNoTracking().Where(m => m.Status == DeliveryStatuses.Pending).OrderBy(m => m.Sequence).ToListAsync();
    }
}

using Jisr.Storage.Audit;
using Jisr.Storage.Federation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Federation.Tests;

/// <summary>
/// A partner whose connection drops half-way: ES-CNP takes and commits MA-DGST's messages, then the connection breaks
/// before its answers leave (the worst moment: applied there, unknown here). MA-DGST retries; ES-CNP answers the
/// messages again as duplicates; every message is applied there exactly once and recorded here as delivered, in order,
/// and both audit chains verify.
/// </summary>
public sealed class DroppedAnswerTests : IAsyncLifetime
{
    private readonly ConnectionDropper _dropper = new(drops: 3);
    private AgencyNode _morocco = null!;
    private AgencyNode _spain = null!;

    public async Task InitializeAsync()
    {
        _morocco = await AgencyNode.StartAsync("MA-DGST", "MA");
        _spain = await AgencyNode.StartAsync("ES-CNP", "ES", configure: b => b.Services.AddSingleton<IStartupFilter>(_dropper));
        await _morocco.PeerWithAsync(_spain);
        await _spain.PeerWithAsync(_morocco);
    }

    public async Task DisposeAsync()
    {
        await _morocco.DisposeAsync();
        await _spain.DisposeAsync();
    }

    [Fact]
    public async Task AnswersLostWithTheConnection_AreAskedForAgain_AndEveryMessageIsAppliedOnce()
    {
        _dropper.Armed = true;
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await _morocco.ProposeAsync("ES-CNP", ["terrorism"], ["H1"]));
        }

        foreach (var id in ids)
        {
            await Eventually.HoldsAsync(async () => await _spain.AgreementAsync(id) is not null, $"agreement {id} reaches ES-CNP", seconds: 60);
        }

        await Eventually.HoldsAsync(
            async () =>
            {
                await using var db = _morocco.Node.Database.Open();
                return await db.Set<OutboxMessage>().AllAsync(m => m.Status == DeliveryStatuses.Delivered);
            },
            "MA-DGST records every message delivered", seconds: 60);
        Assert.Equal(0, _dropper.Left);

        await using var moroccoDb = _morocco.Node.Database.Open();
        Assert.Contains(await moroccoDb.Set<OutboxMessage>().ToListAsync(), m => m.Attempts >= 2); // an answer was lost, the message sent again
        await using var spainDb = _spain.Node.Database.Open();
        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), await spainDb.Set<InboxMessage>().OrderBy(m => m.Sequence).Select(m => m.Sequence).ToListAsync());
        Assert.Equal(5, await spainDb.Agreements.CountAsync());
        Assert.True((await AuditVerifier.VerifyAsync(moroccoDb)).IsIntact);
        Assert.True((await AuditVerifier.VerifyAsync(spainDb)).IsIntact);
    }

    /// <summary>Lets the first <c>drops</c> federation deliveries run to the end, then breaks the connection instead of answering.</summary>
    private sealed class ConnectionDropper(int drops) : IStartupFilter
    {
        private int _left = drops;

        public bool Armed { get; set; }

        public int Left => Volatile.Read(ref _left);

        private bool TakeDrop()
        {
            int left;
            do
            {
                left = Volatile.Read(ref _left);
                if (left <= 0)
                {
                    return false;
                }
            }
            while (Interlocked.CompareExchange(ref _left, left - 1, left) != left);
            return true;
        }

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, inner) =>
            {
                if (!Armed || !HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.StartsWithSegments("/federation/v1/messages", StringComparison.Ordinal) || !TakeDrop())
                {
                    await inner(context);
                    return;
                }

                // The message is taken and committed as usual; its answer is held back and the connection cut.
                var answer = context.Response.Body;
                context.Response.Body = new MemoryStream();
                await inner(context);
                context.Abort();
                context.Response.Body = answer;
            });
            next(app);
        };
    }
}

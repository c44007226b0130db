using Jisr.Exchange.Federation;
using Jisr.Server.Federation;
using Jisr.Storage;
using Jisr.Storage.Audit;
using Jisr.Storage.Federation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Federation.Tests;

/// <summary>
/// A message carrying a marking the receiving node does not know (a newer node's classification or handling code, as
/// between two versions): the receiver refuses it for good naming the field and the value, both nodes audit it, the
/// sender keeps the refusal on the message, and delivery goes on with the next message: nothing after it is held up.
/// </summary>
public sealed class UnknownMarkingTests : TwoPeeredNodes
{
    [Theory]
    [InlineData("COSMIC-TOP-SECRET", "H1", "highestClassification")]
    [InlineData("CONFIDENTIAL", "H9", "handlingCodes[0]")]
    public async Task AMarkingTheReceiverDoesNotKnow_IsRefusedNamingIt_AuditedOnBothNodes_AndDeliveryGoesOn(string classification, string handling, string field)
    {
        var terms = new AgreementTerms(
            Guid.NewGuid(), Morocco.Agency.Id.Value, Spain.Agency.Id.Value, ["terrorism"], classification, [handling],
            DateOnly.FromDateTime(DateTime.UtcNow), DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1), Morocco.Administrator.Id, DateTimeOffset.UtcNow);

        // Staged and sent by MA-DGST's own outbox and delivery, as a node that knows this marking would send it.
        await using (var scope = Morocco.Node.App.Services.CreateAsyncScope())
        {
            var services = scope.ServiceProvider;
            var outbox = services.GetRequiredService<FederationOutbox>();
            var staged = await outbox.StageForAsync(Spain.Agency.Id, FederationMessageTypes.AgreementPropose, terms, new AuditEvent(AuditActions.AgreementPropose, ActorName: "ma-dgst.admin"), CancellationToken.None);
            await services.GetRequiredService<AuditLog>().SaveWithAuditAsync(services.GetRequiredService<JisrDbContext>(), staged!, CancellationToken.None);
            outbox.NotifyIfStaged(staged);
        }

        OutboxMessage? refused = null;
        await Eventually.HoldsAsync(
            async () =>
            {
                await using var db = Morocco.Node.Database.Open();
                refused = await db.Set<OutboxMessage>().AsNoTracking().SingleAsync();
                return refused.Status == DeliveryStatuses.Rejected;
            },
            () => $"ES-CNP refuses the message for good: {refused?.Status} {refused?.LastError}");
        Assert.Contains(field, refused!.LastError, StringComparison.Ordinal);
        Assert.Contains(field == "highestClassification" ? classification : handling, refused.LastError, StringComparison.Ordinal);

        // The next message goes through: the refusal did not stop delivery to ES-CNP.
        var next = await Morocco.ProposeAsync("ES-CNP", ["terrorism"], ["H1"]);
        await Eventually.HoldsAsync(async () => await Spain.AgreementAsync(next) is not null, "the next proposal reaches ES-CNP");
        Assert.Null(await Spain.AgreementAsync(terms.Id));

        await using var spainDb = Spain.Node.Database.Open();
        var received = await spainDb.AuditLog.Where(e => e.Action == AuditActions.FederationReceive && e.Outcome == AuditOutcomes.Refused).ToListAsync();
        Assert.Contains(received, e => e.Detail!.Contains(field, StringComparison.Ordinal) && e.Detail.Contains(refused.PayloadDigest, StringComparison.Ordinal));
        await using var moroccoDb = Morocco.Node.Database.Open();
        Assert.True(await moroccoDb.AuditLog.AnyAsync(e => e.Action == AuditActions.FederationDelivered && e.Outcome == AuditOutcomes.Refused && e.TargetId == refused.Id.ToString()));
        Assert.True((await AuditVerifier.VerifyAsync(spainDb)).IsIntact);
        Assert.True((await AuditVerifier.VerifyAsync(moroccoDb)).IsIntact);
    }
}

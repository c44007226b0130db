namespace Jisr.Storage.Federation;

/// <summary>Batched delivery: a peer's answers to several messages, and several received messages, each in one transaction.</summary>
public sealed partial class FederationStore
{
    /// <summary>
    /// Records the peer's signed acknowledgements (or refusals) of several messages, each audited with its message's
    /// digest, in one transaction. The rows are not read again: <paramref name="answers"/>' messages are as the
    /// delivery read them (only delivery writes a pending row's attempts), and only the columns an answer sets are written.
    /// </summary>
    public async Task RecordAnswersAsync(IReadOnlyList<(OutboxMessage Message, PeerAnswer Answer)> answers, string peerName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var now = time.GetUtcNow();
        var events = new List<AuditEvent>(answers.Count);
        foreach (var (message, ack) in answers)
        {
            ArgumentNullException.ThrowIfNull(message);
            ArgumentNullException.ThrowIfNull(ack);
            var row = AnswerRow(message);
            row.Attempts = message.Attempts + 1;
            row.Acknowledgement = ack.Json;
            if (ack.Delivered)
            {
                row.Status = DeliveryStatuses.Delivered;
                row.DeliveredAt = now;
                row.LastError = null;
            }
            else
            {
                row.LastError = Clip($"refused by the peer: {ack.Reason}");
                row.NextAttemptAt = now + Backoff(row.Attempts);
                if (ack.Final)
                {
                    row.Status = DeliveryStatuses.Rejected;
                }
                else if (row.CreatedAt + MessageLifetime < now)
                {
                    row.Status = DeliveryStatuses.Abandoned;
                }
            }

            events.Add(new AuditEvent(
                AuditActions.FederationDelivered,
                ActorName: $"node:{peerName}",
                TargetType: AuditTargets.FederationMessage,
                TargetId: message.Id.ToString("D"),
                Outcome: ack.Delivered ? AuditOutcomes.Success : AuditOutcomes.Refused,
                Detail: $"type={message.Type} sequence={message.Sequence} sha256={message.PayloadDigest} ack={ack.Status} {ack.Reason}".TrimEnd()));
        }

        await audit.SaveWithAuditAsync(db, events, cancellationToken);
    }

    /// <summary>
    /// A tracked stand-in for <paramref name="message"/>'s row with what an answer writes as the delivery read it, each
    /// of those columns marked written (changed or not), so the update sets them without the row (its envelope) being read.
    /// </summary>
    private OutboxMessage AnswerRow(OutboxMessage message)
    {
        var row = new OutboxMessage
        {
            Id = message.Id, PeerId = message.PeerId, Sequence = message.Sequence, Type = message.Type, CreatedAt = message.CreatedAt,
            Attempts = message.Attempts, Acknowledgement = message.Acknowledgement, Status = message.Status, DeliveredAt = message.DeliveredAt,
            LastError = message.LastError, NextAttemptAt = message.NextAttemptAt,
        };
        // Attached as it was read (no lookup among the tracked rows: DbSet.Local would detect changes on all of them,
        // once per answer); the delivery answers each message once per scope.
        var entry = db.Entry(row);
        entry.State = EntityState.Unchanged;
        foreach (var written in AnswerColumns)
        {
            entry.Property(written).IsModified = true;
        }

        return entry.Entity;
    }

    private static readonly string[] AnswerColumns =
        [nameof(OutboxMessage.Attempts), nameof(OutboxMessage.Acknowledgement), nameof(OutboxMessage.Status), nameof(OutboxMessage.DeliveredAt), nameof(OutboxMessage.LastError), nameof(OutboxMessage.NextAttemptAt)];

    /// <summary>
    /// Received messages (their rows name their peer) applied and recorded in one transaction: <paramref name="next"/>
    /// stages what one message changes on this store and returns its inbox row (with the acknowledgement signed for it)
    /// and audit events, or null when the run ends; each is flushed before the next is staged, so a message reads what
    /// the one before it wrote. Nothing is written if anything fails. <paramref name="next"/> must not audit on its own.
    /// Returns how many messages were recorded.
    /// </summary>
    public Task<int> SaveReceivedEachAsync(Func<CancellationToken, Task<(InboxMessage Row, IReadOnlyList<AuditEvent> Events)?>> next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        var flushed = false;
        return audit.SaveEachWithAuditAsync(db, async ct =>
        {
            if (flushed)
            {
                // What earlier messages wrote is flushed (the transaction holds it, later reads see it): tracking it
                // too would make every later flush scan it again, a cost growing with the square of the batch.
                db.ChangeTracker.Clear();
            }

            flushed = true;
            if (await next(ct) is not { } unit)
            {
                return null;
            }

            unit.Row.ReceivedAt = time.GetUtcNow();
            db.Add(unit.Row);
            return unit.Events;
        }, cancellationToken);
    }
}

namespace Jisr.Exchange.Federation;

/// <summary>
/// Several messages to one peer in one HTTPS request, in sequence order: each is still a whole signed envelope (its
/// JSON text exactly as the outbox holds it), checked, applied and acknowledged on its own, in order.
/// </summary>
public sealed record FederationBatch(IReadOnlyList<string> Messages)
{
    /// <summary>The most messages one batch may carry (the receiver applies a batch under its write lock, so it stays short).</summary>
    public const int MaxMessages = 100;

    /// <summary>The most envelope characters one batch may carry (well under the node's request body limit).</summary>
    public const int MaxCharacters = 4 * 1024 * 1024;

    /// <summary>Reads a batch, or throws <see cref="FormatException"/> saying what is wrong with it.</summary>
    public static FederationBatch Read(string json)
    {
        var batch = FederationJson.Read<FederationBatch>(json);
        if (batch.Messages is null || batch.Messages.Count == 0 || batch.Messages.Count > MaxMessages)
        {
            throw new FormatException($"a batch carries 1 to {MaxMessages} messages");
        }

        if (batch.Messages.Any(string.IsNullOrEmpty))
        {
            throw new FormatException("a batch's messages are signed envelopes: none may be empty");
        }

        return batch;
    }
}

/// <summary>
/// The receiver's answer to a batch: one signed acknowledgement per message it took or refused, in the batch's order.
/// It may be shorter than the batch: the receiver stops after a message it refused (what follows would be out of order).
/// </summary>
public sealed record FederationBatchAck(IReadOnlyList<FederationAck> Acknowledgements);

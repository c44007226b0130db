namespace Jisr.Exchange.HitCheck;

/// <summary>
/// <c>hitfilter.publish</c>: what the owner agency holds within an agreement, as a filter (<see cref="HitFilter"/>
/// bytes, base64) for the partner agency, with the epoch and salt its key was derived with (<see cref="HitKey.Derive"/>).
/// </summary>
public sealed record HitFilterMessage(Guid AgreementId, Guid OwnerAgencyId, Guid RecipientAgencyId, int Epoch, string Salt, DateTimeOffset BuiltAt, string Filter)
{
    public const string Type = "hitfilter.publish";

    /// <summary>Keys are derived per epoch: a new epoch every 7 days (UTC), so even an unchanged filter is rebuilt under a new key weekly.</summary>
    public static readonly TimeSpan RotationPeriod = TimeSpan.FromDays(7);

    public static int EpochOf(DateTimeOffset now) => (int)(now.UtcTicks / RotationPeriod.Ticks);
}

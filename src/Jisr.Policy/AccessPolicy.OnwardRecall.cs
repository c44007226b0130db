using Jisr.Domain.Sharing;

namespace Jisr.Policy;

/// <summary>A recall follows the record wherever it was passed on.</summary>
public static partial class AccessPolicy
{
    /// <summary>
    /// When a copy is removed by its originator's recall, whether <paramref name="onward"/> (a release the copy's
    /// holder made) goes with it: any release of that copy that is still open does, whoever made it and whether or not
    /// its recipient's node is peered with the originator's. The holder's onward release rested on the originator's
    /// consent to a copy that no longer exists; the originator's decision outranks it. A released one is recalled (its
    /// copy removed further on, by the holder's node), one awaiting approval is refused.
    /// </summary>
    public static PolicyDecision RecallReachesOnward(RecordId recalledCopy, Release onward)
    {
        ArgumentNullException.ThrowIfNull(onward);
        return onward.RecordId == recalledCopy && onward.Status is ReleaseStatus.Released or ReleaseStatus.AwaitingApproval
            ? PolicyDecision.Allow
            : PolicyDecision.NotVisible;
    }
}

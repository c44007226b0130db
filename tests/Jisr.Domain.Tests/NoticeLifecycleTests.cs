using Jisr.Domain.Common;
using Jisr.Domain.Notices;
using Jisr.Domain.Records;

namespace Jisr.Domain.Tests;

/// <summary>Every action on a notice in every status, against the life a notice should have, written out here independently.</summary>
public sealed class NoticeLifecycleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    /// <summary>(status, action) → the status it leads to; absent: refused as a state error. An update is screened clean here.</summary>
    private static readonly Dictionary<(NoticeStatus, NoticeAction), NoticeStatus> Expected = new()
    {
        [(NoticeStatus.HeldForReview, NoticeAction.Update)] = NoticeStatus.Issued,
        [(NoticeStatus.HeldForReview, NoticeAction.Clear)] = NoticeStatus.Issued,
        [(NoticeStatus.HeldForReview, NoticeAction.Refuse)] = NoticeStatus.Refused,
        [(NoticeStatus.HeldForReview, NoticeAction.Cancel)] = NoticeStatus.Withdrawn,
        [(NoticeStatus.Issued, NoticeAction.Update)] = NoticeStatus.Issued,
        [(NoticeStatus.Issued, NoticeAction.Cancel)] = NoticeStatus.Cancelled,
    };

    public static TheoryData<NoticeStatus, NoticeAction> EveryPair()
    {
        var data = new TheoryData<NoticeStatus, NoticeAction>();
        foreach (var status in Enum.GetValues<NoticeStatus>())
        {
            foreach (var action in Enum.GetValues<NoticeAction>())
            {
                data.Add(status, action);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void EveryActionInEveryStatus_LeadsWhereTheLifecycleSays_OrIsRefusedAndChangesNothing(NoticeStatus status, NoticeAction action)
    {
        var notice = InStatus(status);

        void Act()
        {
            switch (action)
            {
                case NoticeAction.Update: notice.Update("Title", "Summary", "drug trafficking", ThreatDomain.DrugTrafficking, [], Now); break;
                case NoticeAction.Clear: notice.Clear("cleared", Now); break;
                case NoticeAction.Refuse: notice.Refuse("refused", Now); break;
                case NoticeAction.Cancel: notice.Cancel("cancelled", Now); break;
            }
        }

        if (Expected.TryGetValue((status, action), out var next))
        {
            Act();
            Assert.Equal(next, notice.Status);
        }
        else
        {
            Assert.Throws<DomainStateException>(Act);
            Assert.Equal(status, notice.Status);
        }
    }

    private static Notice InStatus(NoticeStatus status)
    {
        var notice = Notice.Create(
            new AgencyId(Guid.NewGuid()), new UserId(Guid.NewGuid()), NoticeColor.Blue, new EntityId(Guid.NewGuid()), "Title", "Summary", "drug trafficking",
            ThreatDomain.DrugTrafficking, [new AgencyId(Guid.NewGuid())], status == NoticeStatus.Issued || status == NoticeStatus.Cancelled ? [] : ["political: test"], Now);
        switch (status)
        {
            case NoticeStatus.Refused: notice.Refuse("refused", Now); break;
            case NoticeStatus.Cancelled: notice.Cancel("cancelled", Now); break;
            case NoticeStatus.Withdrawn: notice.Cancel("withdrawn", Now); break;
        }

        Assert.Equal(status, notice.Status);
        return notice;
    }
}

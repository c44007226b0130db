using Jisr.Domain.Common;
using Jisr.Domain.Markings;
using Jisr.Domain.Notices;
using Jisr.Domain.Records;
using Jisr.Domain.Sharing;
using Jisr.Domain.Users;
using Xunit.Abstractions;
using Record = Jisr.Domain.Records.Record;

namespace Jisr.Policy.Tests;

/// <summary>
/// Property test of every change decision (issue 13). A seeded random world: agencies, users with random roles and
/// clearances, agreements in every state with random terms, records with random markings, recipients and a random
/// history of changes and releases, release copies, pending, stale and decided releases, consent requests,
/// declassification requests and notices. Every change operation by every user on every item is decided by
/// <see cref="AccessPolicy"/> (and, where an item's state is involved, by the domain) and compared with a reference
/// model written below from the issue's words, without calling the policy. At least 100,000 (user, operation, item) cases.
/// </summary>
public sealed class ChangePolicyPropertyTests(ITestOutputHelper output)
{
    private const int MinimumCases = 100_000;
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);
    private static readonly Role[] Writers = [Role.Analyst, Role.FieldOfficer, Role.LiaisonOfficer];

    /// <summary>The outcomes compared: the policy's three, and 409 where the policy allows but the item's state refuses.</summary>
    private enum Expect
    {
        Allowed,
        Denied,
        NotVisible,
        Conflict,
    }

    // ---- The reference model: the rules as the issues state them, on the objects' plain properties. ----

    private static bool RefInForce(SharingAgreement a) => a.Status == AgreementStatus.InForce && a.ValidFrom <= Today && Today <= a.ValidUntil;

    private static bool RefReadable(Principal p, Record r) =>
        r.HolderAgencyId == p.AgencyId && (int)r.Marking.Classification <= (int)p.Clearance && Now < r.RetentionUntil
        && (r.Marking.Tlp != Tlp.Red || r.AuthorUserId == p.UserId || r.Recipients.Any(x => x.UserId == p.UserId.Value))
        && (r.Provenance is null || RefInForce(r.ReleasedUnder!));

    private static bool IsWriter(Principal p) => p.Roles.Overlaps(Writers);

    private static Expect RefUpdate(Principal p, Record r, Marking to)
    {
        if (!RefReadable(p, r))
        {
            return Expect.NotVisible;
        }

        if (r.Provenance is not null)
        {
            return Expect.Denied;
        }

        var author = r.AuthorUserId == p.UserId && IsWriter(p);
        var editor = p.Roles.Contains(Role.Editor) && p.AgencyId == r.OriginatorAgencyId;
        return (author || editor) && (int)to.Classification <= (int)p.Clearance ? Expect.Allowed : Expect.Denied;
    }

    private static int HandlingRank(HandlingCode h) => h switch
    {
        HandlingCode.H0 => 0,
        HandlingCode.H1 => 1,
        HandlingCode.H2 => 2,
        _ => 3,
    };

    private static bool RefDeclassification(Record r, Marking to, IReadOnlyCollection<UserId> recipients)
    {
        var from = r.Marking;
        var lower = (int)to.Classification < (int)from.Classification || (int)to.Tlp < (int)from.Tlp
                    || HandlingRank(to.Handling) < HandlingRank(from.Handling)
                    || (from.Handling == HandlingCode.H3 && to.Handling == HandlingCode.H3 && from.HandlingNote != to.HandlingNote);
        var had = r.Recipients.Select(x => x.UserId).Append(r.AuthorUserId.Value).ToHashSet();
        var wider = from.Tlp == Tlp.Red && to.Tlp == Tlp.Red && recipients.Any(u => !had.Contains(u.Value));
        return lower || wider;
    }

    private static bool Sensitive(Marking m) => m.Classification is Classification.Confidential or Classification.Secret || m.Tlp is Tlp.AmberStrict or Tlp.Red;

    private static Expect RefDelete(Principal p, Record r) =>
        !RefReadable(p, r) ? Expect.NotVisible
        : r.AuthorUserId == p.UserId || p.Roles.Contains(Role.LegalReviewer) || p.Roles.Contains(Role.Administrator) ? Expect.Allowed : Expect.Denied;

    private static Expect RefRelease(Principal p, Record r, AgencyId to, SharingAgreement? a, bool consented)
    {
        if (!RefReadable(p, r))
        {
            return Expect.NotVisible;
        }

        var ok = IsWriter(p)
                 && to != r.OriginatorAgencyId
                 && a is not null && RefInForce(a)
                 && ((a.ProposerAgencyId == p.AgencyId && a.PartnerAgencyId == to) || (a.PartnerAgencyId == p.AgencyId && a.ProposerAgencyId == to))
                 && (int)r.Marking.Classification <= (int)a.HighestClassification
                 && a.HandlingCodes.Contains(r.Marking.Handling)
                 && r.ThreatDomains.All(d => a.ThreatDomains.Contains(d))
                 && (r.OriginatorAgencyId == p.AgencyId || consented);
        return ok ? Expect.Allowed : Expect.Denied;
    }

    private static Expect RefRequestConsent(Principal p, Record r) =>
        !RefReadable(p, r) ? Expect.NotVisible : IsWriter(p) ? Expect.Allowed : Expect.Denied;

    private static Expect RefReview(Principal p, Record r, DateOnly? next, DateTimeOffset? retention) =>
        !RefReadable(p, r) ? Expect.NotVisible
        : !p.Roles.Contains(Role.LegalReviewer) ? Expect.Denied
        : r.Provenance is not null && ((next is { } n && n > r.ReviewDate) || (retention is { } t && t > r.RetentionUntil)) ? Expect.Denied
        : Expect.Allowed;

    private static Expect RefApproveRelease(Principal p, Release release, Record? r, int versionAtRequest)
    {
        if (p.AgencyId != release.ReleasingAgencyId)
        {
            return Expect.NotVisible;
        }

        if (!p.Roles.Contains(Role.LegalReviewer) || release.RequestedBy == p.UserId || r is null || !RefReadable(p, r))
        {
            return Expect.Denied;
        }

        return release.Status != ReleaseStatus.AwaitingApproval || r.Version != versionAtRequest ? Expect.Conflict : Expect.Allowed;
    }

    private static Expect RefDecideConsent(Principal p, ConsentRequest c) =>
        p.AgencyId != c.OriginatorAgencyId ? Expect.Denied
        : p.Roles.Contains(Role.LegalReviewer) || p.Roles.Contains(Role.LiaisonOfficer) ? Expect.Allowed : Expect.Denied;

    private static Expect RefApproveDeclassification(Principal p, Declassification d, Record? r, int versionAtRequest)
    {
        if (p.AgencyId != d.AgencyId || r is null || !RefReadable(p, r) || (int)d.ProposedMarking.Classification > (int)p.Clearance)
        {
            return Expect.NotVisible;
        }

        if (!p.Roles.Contains(Role.LegalReviewer) || d.RequestedBy == p.UserId)
        {
            return Expect.Denied;
        }

        return d.Status != DeclassificationStatus.Pending || r.Version != versionAtRequest ? Expect.Conflict : Expect.Allowed;
    }

    private static Expect RefChangeAgreement(Principal p, SharingAgreement a, AgreementAction change) =>
        p.AgencyId != a.ProposerAgencyId && p.AgencyId != a.PartnerAgencyId ? Expect.NotVisible
        : !p.Roles.Contains(Role.Administrator) ? Expect.Denied
        : change == AgreementAction.Accept && p.AgencyId == a.ProposerAgencyId ? Expect.Denied
        : change == AgreementAction.Resume && a.SuspendedBy is { } by && by != p.AgencyId ? Expect.Denied
        : Expect.Allowed;

    private static Expect RefChangeNotice(Principal p, Notice n, NoticeChange change) =>
        p.AgencyId != n.IssuerAgencyId ? Expect.Denied
        : change is NoticeChange.Update or NoticeChange.Cancel ? (IsWriter(p) ? Expect.Allowed : Expect.Denied)
        : p.Roles.Contains(Role.LegalReviewer) ? Expect.Allowed : Expect.Denied;

    private static Expect RefManageUser(Principal p, AgencyId agency, Classification clearance) =>
        p.Roles.Contains(Role.Administrator) && p.AgencyId == agency && (int)clearance <= (int)p.Clearance ? Expect.Allowed : Expect.Denied;

    // ---- The policy (and the domain's state rules) as the services use them. ----

    private static Expect Of(PolicyDecision decision) => decision.Outcome switch
    {
        PolicyOutcome.Allowed => Expect.Allowed,
        PolicyOutcome.Denied => Expect.Denied,
        _ => Expect.NotVisible,
    };

    /// <summary>The policy's answer, then the domain's: 409 when the item's state refuses what the policy allowed.</summary>
    private static Expect Decided(PolicyDecision decision, bool stateAllows) =>
        decision.IsAllowed && !stateAllows ? Expect.Conflict : Of(decision);

    [Fact]
    public void EveryChangeOperation_ByEveryUser_OnEveryItem_AgreesWithTheReferenceModel()
    {
        var random = new Random(20261130);
        var agencies = Enumerable.Range(0, 8).Select(_ => new AgencyId(Guid.NewGuid())).ToArray();
        var roles = Enum.GetValues<Role>();
        var users = Enumerable.Range(0, 56).Select(i =>
        {
            var granted = roles.Where(_ => random.Next(3) == 0).DefaultIfEmpty(roles[random.Next(roles.Length)]).ToHashSet();
            return new Principal(new UserId(Guid.NewGuid()), $"u{i}", agencies[i % agencies.Length], "AG", granted, (Classification)random.Next(4));
        }).ToArray();
        var usersOf = users.GroupBy(u => u.AgencyId).ToDictionary(g => g.Key, g => g.ToArray());

        // Agreements with random terms, in every state.
        var agreements = new List<SharingAgreement>();
        for (var i = 0; i < 24; i++)
        {
            var a = agencies[random.Next(agencies.Length)];
            var b = agencies.Where(x => x != a).ElementAt(random.Next(agencies.Length - 1));
            agreements.Add(RandomAgreement(random, a, b));
        }

        // Records with a random history: updates of the marking and releases. The reference keeps every marking since
        // the last release itself, to judge four-eyes on.
        var records = new List<Record>();
        var sinceRelease = new Dictionary<RecordId, List<Marking>>();
        var releases = new List<(Release Release, int Version)>();
        for (var i = 0; i < 320; i++)
        {
            var author = users[random.Next(users.Length)];
            var record = NewRecord(random, author.AgencyId, random.Next(8) == 0 ? new UserId(Guid.NewGuid()) : author.UserId, usersOf[author.AgencyId]);
            sinceRelease[record.Id] = [record.Marking];
            for (var step = random.Next(5); step > 0; step--)
            {
                if (random.Next(3) == 0)
                {
                    var copy = ReleaseAtOnce(random, record, agreements, usersOf);
                    if (copy is not null)
                    {
                        records.Add(copy);
                        sinceRelease[copy.Id] = [copy.Marking];
                        sinceRelease[record.Id] = [record.Marking];
                    }
                }
                else
                {
                    var marking = RandomMarking(random);
                    record.Update(Content(marking, record.RetentionUntil, record.ReviewDate, record.ThreatDomains), record.CreatedAt);
                    record.SetRecipients(marking.Tlp == Tlp.Red ? SomeOf(random, usersOf[record.HolderAgencyId]) : []);
                    sinceRelease[record.Id].Add(marking);
                }
            }

            records.Add(record);
        }

        // Releases awaiting approval (some then made stale by a change), and decided ones.
        foreach (var record in records.Where(r => r.Provenance is null).Where(_ => random.Next(3) == 0).ToList())
        {
            var agreement = agreements.FirstOrDefault(a => a.IsParty(record.HolderAgencyId) && a.Counterpart(record.HolderAgencyId) != record.OriginatorAgencyId);
            if (agreement is null)
            {
                continue;
            }

            var requester = random.Next(4) == 0 ? record.AuthorUserId : usersOf[record.HolderAgencyId][random.Next(usersOf[record.HolderAgencyId].Length)].UserId;
            var release = Release.Request(record, agreement.Counterpart(record.HolderAgencyId), agreement, requester,
                record.Marking.Tlp == Tlp.Red ? [new UserId(Guid.NewGuid())] : [], null, needsSecondPerson: true, Now);
            var version = record.Version;
            switch (random.Next(5))
            {
                case 0: release.Refuse(new UserId(Guid.NewGuid()), "no", Now); break;
                case 1: record.SetRecipients(record.Marking.Tlp == Tlp.Red ? SomeOf(random, usersOf[record.HolderAgencyId]) : []); break; // stale
            }

            releases.Add((release, version));
        }

        // Consent requests on copies, in every state.
        var consents = new List<ConsentRequest>();
        foreach (var copy in records.Where(r => r.Provenance is not null))
        {
            var third = agencies.Where(a => a != copy.HolderAgencyId && a != copy.OriginatorAgencyId).ElementAt(random.Next(agencies.Length - 2));
            var consent = ConsentRequest.Request(copy, third, new UserId(Guid.NewGuid()), null, Now);
            switch (random.Next(3))
            {
                case 1: consent.Grant(new UserId(Guid.NewGuid()), null, Now); break;
                case 2: consent.Refuse(new UserId(Guid.NewGuid()), "no", Now); break;
            }

            consents.Add(consent);
        }

        // Declassification requests: pending, stale, refused, approved.
        var declassifications = new List<(Declassification Request, int Version)>();
        foreach (var record in records.Where(r => r.Provenance is null).Where(_ => random.Next(3) == 0).ToList())
        {
            var requester = random.Next(3) == 0 ? record.AuthorUserId : usersOf[record.HolderAgencyId][random.Next(usersOf[record.HolderAgencyId].Length)].UserId;
            var request = Declassification.Request(record, requester, RandomMarking(random), random.Next(2) == 0, "{}", Now);
            var version = record.Version;
            switch (random.Next(5))
            {
                case 0: request.Refuse(new UserId(Guid.NewGuid()), "no", Now); break;
                case 1: record.SetRecipients(record.Marking.Tlp == Tlp.Red ? SomeOf(random, usersOf[record.HolderAgencyId]) : []); break; // stale
            }

            declassifications.Add((request, version));
        }

        var notices = agencies.SelectMany(a => Enumerable.Range(0, 3).Select(i =>
        {
            var notice = Notice.Create(a, new UserId(Guid.NewGuid()), NoticeColor.Blue, new EntityId(Guid.NewGuid()), "Notice", "summary", "offence",
                ThreatDomain.Terrorism, [agencies.First(x => x != a)], i == 0 ? ["political: \"x\""] : [], Now);
            return notice;
        })).ToList();

        var recordById = records.ToDictionary(r => r.Id);
        var approvals = new List<(string Name, Principal User, string Item, PolicyDecision Decision, Func<bool> StateAllows, Expect Expected)>();
        var cases = 0;
        var failures = new List<string>();
        var tally = new Dictionary<(string, Expect), int>();
        void Check(string name, Principal user, string item, Expect actual, Expect expected)
        {
            cases++;
            tally[(name, expected)] = tally.GetValueOrDefault((name, expected)) + 1;
            if (actual != expected && failures.Count < 20)
            {
                failures.Add($"{name} by {user.UserName} ({string.Join('+', user.Roles)}, {user.Clearance}, agency {Array.IndexOf(agencies, user.AgencyId)}) on {item}: policy {actual}, model {expected}");
            }
        }

        // Four-eyes, judged on the record alone.
        foreach (var record in records)
        {
            var expected = sinceRelease[record.Id].Any(Sensitive) ? Expect.Allowed : Expect.Denied;
            var actual = AccessPolicy.ReleaseNeedsSecondPerson(record) ? Expect.Allowed : Expect.Denied;
            Check("four-eyes", users[0], $"record {record.Id} ({string.Join(" / ", sinceRelease[record.Id])})", actual, expected);
        }

        foreach (var user in users)
        {
            foreach (var record in records)
            {
                var item = $"record {record.Id} ({record.Marking}, author {record.AuthorUserId == user.UserId}, copy {record.Provenance is not null})";
                var to = RandomMarking(random);
                var recipients = to.Tlp == Tlp.Red ? SomeOf(random, usersOf[record.HolderAgencyId]) : [];
                var content = Content(to, record.RetentionUntil, record.ReviewDate, record.ThreatDomains);
                Check("update", user, item + $" to {to}", Of(AccessPolicy.CanUpdate(user, record, content, Now)), RefUpdate(user, record, to));
                Check("declassification?", user, item + $" to {to}", AccessPolicy.ChangeNeedsLegalApproval(record, to, recipients) ? Expect.Allowed : Expect.Denied,
                    RefDeclassification(record, to, recipients) ? Expect.Allowed : Expect.Denied);
                Check("delete", user, item, Of(AccessPolicy.CanDelete(user, record, Now)), RefDelete(user, record));

                var recipient = agencies[random.Next(agencies.Length)];
                var agreement = random.Next(6) == 0
                    ? agreements[random.Next(agreements.Count)]
                    : agreements.FirstOrDefault(a => a.IsParty(user.AgencyId) && a.Counterpart(user.AgencyId) == recipient && a.IsInForce(Today));
                var consented = random.Next(2) == 0;
                Check("release", user, item + $" to agency {Array.IndexOf(agencies, recipient)}", Of(AccessPolicy.CanRelease(user, record, recipient, agreement, consented, Now)),
                    RefRelease(user, record, recipient, agreement, consented));
                Check("request consent", user, item, Of(AccessPolicy.CanRequestConsent(user, record, Now)), RefRequestConsent(user, record));

                var next = record.ReviewDate.AddDays(random.Next(-200, 200));
                DateTimeOffset? retention = random.Next(2) == 0 ? null : record.RetentionUntil.AddDays(random.Next(-200, 200));
                Check("review extend", user, item, Of(AccessPolicy.CanReview(user, record, Now, next, retention)), RefReview(user, record, next, retention));
                Check("review delete", user, item, Of(AccessPolicy.CanReview(user, record, Now)), RefReview(user, record, null, null));
            }

            foreach (var (release, version) in releases)
            {
                var record = recordById[release.RecordId];
                var shown = AccessPolicy.CanRead(user, record, Now) ? record : null;
                approvals.Add(("approve release", user, $"release {release.Id} ({release.Status}, stale {record.Version != version})",
                    AccessPolicy.CanDecideRelease(user, release, shown, Now), () => StateAllows(() => release.Approve(record, user.UserId, null, Now)), RefApproveRelease(user, release, shown, version)));
            }

            foreach (var consent in consents)
            {
                Check("decide consent", user, $"consent {consent.Id}", Of(AccessPolicy.CanDecideConsent(user, consent)), RefDecideConsent(user, consent));
            }

            foreach (var (declassification, version) in declassifications)
            {
                var record = recordById[declassification.RecordId];
                var shown = AccessPolicy.CanRead(user, record, Now) ? record : null;
                approvals.Add(("approve declassification", user, $"declassification {declassification.Id} ({declassification.Status}, stale {record.Version != version})",
                    AccessPolicy.CanDecideDeclassification(user, declassification, shown, Now), () => StateAllows(() => declassification.Approve(record, user.UserId, null, Now)),
                    RefApproveDeclassification(user, declassification, shown, version)));
            }

            foreach (var agreement in agreements)
            {
                foreach (var change in Enum.GetValues<AgreementAction>())
                {
                    Check($"agreement {change}", user, $"agreement {agreement.Id} ({agreement.Status})", Of(AccessPolicy.CanChangeAgreement(user, agreement, change)), RefChangeAgreement(user, agreement, change));
                }
            }

            foreach (var notice in notices)
            {
                foreach (var change in Enum.GetValues<NoticeChange>())
                {
                    Check($"notice {change}", user, $"notice {notice.Id}", Of(AccessPolicy.CanChangeNotice(user, notice, change)), RefChangeNotice(user, notice, change));
                }
            }

            foreach (var agency in agencies)
            {
                var clearance = (Classification)random.Next(4);
                Check("manage user", user, $"agency {Array.IndexOf(agencies, agency)} at {clearance}", Of(AccessPolicy.CanManageUser(user, agency, [Role.Analyst], clearance)), RefManageUser(user, agency, clearance));
            }
        }

        // The approvals' state rules last (an approval changes its item): each item's state is tried once, by the first user the policy lets approve it.
        var stateOf = new Dictionary<string, bool>();
        foreach (var (name, user, item, decision, stateAllows, expected) in approvals)
        {
            var key = string.Join(' ', item.Split(' ').Take(2));
            var allows = decision.IsAllowed && (stateOf.TryGetValue(key, out var known) ? known : stateOf[key] = stateAllows());
            Check(name, user, item, Decided(decision, allows), expected);
        }

        output.WriteLine($"{agencies.Length} agencies, {users.Length} users, {agreements.Count} agreements, {records.Count} records ({records.Count(r => r.Provenance is not null)} copies), {releases.Count} releases, {consents.Count} consents, {declassifications.Count} declassifications, {notices.Count} notices: {cases} cases");
        foreach (var group in tally.GroupBy(t => t.Key.Item1).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{group.Key}: {string.Join(", ", group.OrderBy(t => t.Key.Item2).Select(t => $"{t.Key.Item2} {t.Value}"))}");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(cases >= MinimumCases, $"{cases} cases");

        // Not vacuous: every operation on records is both allowed and refused somewhere, and the approvals meet every outcome.
        foreach (var name in new[] { "update", "declassification?", "delete", "release", "request consent", "review extend", "four-eyes" })
        {
            Assert.True(tally.GetValueOrDefault((name, Expect.Allowed)) > 0 && tally.GetValueOrDefault((name, Expect.Denied)) > 0, $"{name} is not exercised both ways");
        }

        foreach (var name in new[] { "approve release", "approve declassification" })
        {
            Assert.All(Enum.GetValues<Expect>(), e => Assert.True(tally.GetValueOrDefault((name, e)) > 0, $"{name} never {e}"));
        }

        Assert.Contains(records, r => !Sensitive(r.Marking) && sinceRelease[r.Id].Any(Sensitive));
    }

    private static bool StateAllows(Action act)
    {
        try
        {
            act();
            return true;
        }
        catch (DomainStateException)
        {
            return false;
        }
    }

    private static SharingAgreement RandomAgreement(Random random, AgencyId a, AgencyId b)
    {
        var state = random.Next(6);
        var (from, until) = state switch
        {
            4 => (Today.AddDays(-800), Today.AddDays(-random.Next(2, 300))),
            5 => (Today.AddDays(random.Next(2, 60)), Today.AddDays(700)),
            _ => (Today.AddDays(-random.Next(2, 700)), Today.AddDays(random.Next(2, 700))),
        };
        var at = new DateTimeOffset(from.AddDays(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var domains = Enum.GetValues<ThreatDomain>().Where(_ => random.Next(2) == 0).DefaultIfEmpty(ThreatDomain.Terrorism).ToArray();
        var handling = Enum.GetValues<HandlingCode>().Where(_ => random.Next(3) != 0).DefaultIfEmpty(HandlingCode.H0).ToArray();
        var agreement = SharingAgreement.Propose(new SharingTerms(a, b, domains, (Classification)random.Next(4), handling, from, until), new UserId(Guid.NewGuid()), at);
        if (state != 0)
        {
            agreement.Accept(new UserId(Guid.NewGuid()), at);
        }

        if (state == 2)
        {
            agreement.Suspend(random.Next(2) == 0 ? a : b, "review", at);
        }
        else if (state == 3)
        {
            agreement.End("ended", at);
        }

        return agreement;
    }

    private static Marking RandomMarking(Random random)
    {
        var handling = (HandlingCode)random.Next(4);
        return Marking.Create((Classification)random.Next(4), (Tlp)random.Next(5), handling, handling == HandlingCode.H3 ? (random.Next(2) == 0 ? "court only" : "no copies") : null);
    }

    private static RecordContent Content(Marking marking, DateTimeOffset retention, DateOnly review, IReadOnlyList<ThreatDomain> domains) =>
        RecordContent.Create(RecordKind.IntelligenceReport, "t", "", "en", "basis", "purpose", retention, review, marking, SourceGrading.Parse("B2"), domains);

    private static List<UserId> SomeOf(Random random, Principal[] users) =>
        [.. users.Where(_ => random.Next(3) == 0).Select(u => u.UserId)];

    private static Record NewRecord(Random random, AgencyId agency, UserId author, Principal[] colleagues)
    {
        var marking = RandomMarking(random);
        var created = Now.AddDays(-random.Next(10, 900));
        var retention = random.Next(10) == 0 ? Now.AddDays(-random.Next(1, 5)) : Now.AddDays(random.Next(30, 2000));
        var review = DateOnly.FromDateTime(Now.UtcDateTime).AddDays(random.Next(-30, 20));
        var record = Record.Create(agency, author, Content(marking, retention, review < DateOnly.FromDateTime(retention.UtcDateTime) ? review : DateOnly.FromDateTime(retention.UtcDateTime),
            [.. Enum.GetValues<ThreatDomain>().Where(_ => random.Next(4) == 0).DefaultIfEmpty(ThreatDomain.Terrorism)]), created);
        record.SetRecipients(marking.Tlp == Tlp.Red ? SomeOf(random, colleagues) : []);
        return record;
    }

    /// <summary>A release of <paramref name="source"/> that went out (approved where needed) under an agreement its holder was once party to.</summary>
    private static Record? ReleaseAtOnce(Random random, Record source, List<SharingAgreement> agreements, Dictionary<AgencyId, Principal[]> usersOf)
    {
        var candidates = agreements.Where(a => a.AcceptedAt is not null && a.IsParty(source.HolderAgencyId) && a.Counterpart(source.HolderAgencyId) != source.OriginatorAgencyId).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var agreement = candidates[random.Next(candidates.Count)];
        var recipient = agreement.Counterpart(source.HolderAgencyId);
        List<UserId> named = source.Marking.Tlp == Tlp.Red ? [.. SomeOf(random, usersOf[recipient]).DefaultIfEmpty(usersOf[recipient][0].UserId)] : [];
        var release = Release.Request(source, recipient, agreement, new UserId(Guid.NewGuid()), named, null, AccessPolicy.ReleaseNeedsSecondPerson(source), Now);
        if (release.Status == ReleaseStatus.AwaitingApproval)
        {
            release.Approve(source, new UserId(Guid.NewGuid()), null, Now);
        }

        var copy = Record.CreateReleaseCopy(source, release, agreement, Now);
        release.Delivered(copy.Id);
        return copy;
    }
}

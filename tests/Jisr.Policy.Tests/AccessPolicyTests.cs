using Jisr.Domain.Common;
using Jisr.Domain.Entities;
using Jisr.Domain.Markings;
using Jisr.Domain.Records;
using Jisr.Domain.Sharing;
using Jisr.Domain.Users;
using Jisr.Testing;
using Record = Jisr.Domain.Records.Record;

namespace Jisr.Policy.Tests;

public sealed class AccessPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);

    private static Principal User(AgencyId agency, Classification clearance, params Role[] roles) =>
        new(new UserId(Guid.NewGuid()), "user", agency, "AG", roles.ToHashSet(), clearance);

    private static Record NewRecord(AgencyId agency, Classification classification, DateTimeOffset created, DateTimeOffset retention, UserId? author = null, Tlp tlp = Tlp.Amber, IReadOnlyCollection<UserId>? recipients = null)
    {
        var record = Record.Create(agency, author ?? new UserId(Guid.NewGuid()), RecordContent.Create(
            RecordKind.IntelligenceReport, "t", "", "en", "basis", "purpose", retention, DateOnly.FromDateTime(retention.UtcDateTime),
            Marking.Create(classification, tlp, HandlingCode.H0), SourceGrading.Parse("B2"), [ThreatDomain.Terrorism]), created);
        record.SetRecipients(recipients ?? []);
        return record;
    }

    /// <summary>
    /// The rules as the issues state them, written independently of the policy: held by the user's agency, within
    /// clearance, not past retention, a TLP:RED record only for its author and named recipients, and a release copy
    /// only while its agreement is accepted, not suspended or ended, and within its validity dates.
    /// </summary>
    private static bool ReferenceCanRead(Principal p, Record r, DateTimeOffset at) =>
        r.HolderAgencyId == p.AgencyId && (int)r.Marking.Classification <= (int)p.Clearance && at < r.RetentionUntil
        && (r.Marking.Tlp != Tlp.Red || r.AuthorUserId == p.UserId || r.Recipients.Select(x => x.UserId).Contains(p.UserId.Value))
        && (r.Provenance is null || (r.ReleasedUnder!.Status == AgreementStatus.InForce
                                     && r.ReleasedUnder.ValidFrom <= DateOnly.FromDateTime(at.UtcDateTime)
                                     && DateOnly.FromDateTime(at.UtcDateTime) <= r.ReleasedUnder.ValidUntil));

    [Fact]
    public void ReadRules_ForManyRandomUsersRecordsAndTimes_AgreeWithTheReferenceModel_InQueriesAndInMemory()
    {
        var random = new Random(2611);
        var agencies = Enumerable.Range(0, 12).Select(_ => new AgencyId(Guid.NewGuid())).ToArray();
        var classifications = Enum.GetValues<Classification>();
        var roles = Enum.GetValues<Role>();
        var users = Enumerable.Range(0, 60).Select(_ => (Id: new UserId(Guid.NewGuid()), Agency: agencies[random.Next(agencies.Length)])).ToArray();
        var records = Enumerable.Range(0, 500).Select(_ =>
        {
            var created = Now.AddDays(-random.Next(0, 2000));
            var tlp = (Tlp)random.Next(5);
            var recipients = tlp == Tlp.Red ? users.Where(_ => random.Next(10) == 0).Select(x => x.Id).ToList() : [];
            return NewRecord(agencies[random.Next(agencies.Length)], classifications[random.Next(4)], created, created.AddDays(random.Next(1, 3000)), users[random.Next(users.Length)].Id, tlp, recipients);
        }).ToList();

        var agreements = new List<SharingAgreement>();

        // Release copies: some originals go to a partner under an agreement in a random state (accepted, suspended, ended...).
        foreach (var source in records.Take(200).ToList())
        {
            var partner = agencies.Where(a => a != source.HolderAgencyId).ElementAt(random.Next(agencies.Length - 1));
            var agreement = RandomAgreements.Between(random, source.HolderAgencyId, partner, Now);
            agreements.Add(agreement);
            var recipients = source.Marking.Tlp == Tlp.Red ? users.Where(x => x.Agency == partner && random.Next(2) == 0).Select(x => x.Id).Append(new UserId(Guid.NewGuid())).ToList() : [];
            var release = Release.Request(source, partner, agreement, new UserId(Guid.NewGuid()), recipients, null, AccessPolicy.ReleaseNeedsSecondPerson(source.Marking), Now);
            if (release.Status == ReleaseStatus.AwaitingApproval)
            {
                release.Approve(source, new UserId(Guid.NewGuid()), null, Now);
            }

            records.Add(Record.CreateReleaseCopy(source, release, agreement, Now));
        }
        var checkedPairs = 0;
        var copiesOfTheirAgency = new int[2];

        for (var u = 0; u < 200; u++)
        {
            var user = users[random.Next(users.Length)];
            var principal = User(user.Agency, classifications[random.Next(4)], roles.Where(_ => random.Next(2) == 0).ToArray()) with { UserId = user.Id };
            var at = Now.AddDays(random.Next(-400, 3000));
            var filter = AccessPolicy.ReadableRecords(principal, at, agreements).Compile();
            foreach (var record in records)
            {
                var expected = ReferenceCanRead(principal, record, at);
                Assert.Equal(expected, filter(record));
                Assert.Equal(expected, AccessPolicy.CanRead(principal, record, at));
                checkedPairs++;
                if (record.Provenance is not null && record.HolderAgencyId == principal.AgencyId)
                {
                    copiesOfTheirAgency[expected ? 1 : 0]++;
                }
            }
        }

        Assert.Equal(140_000, checkedPairs);
        Assert.All(copiesOfTheirAgency, count => Assert.True(count > 20, "the random world must contain both visible and hidden release copies"));
    }

    [Fact]
    public void EntityRule_AnEntityIsReadableExactlyWhenAReadableRecordMentionsIt()
    {
        var agency = new AgencyId(Guid.NewGuid());
        var inRestricted = PhoneNumber.Create(agency, "+212600000001", Now);
        var onlyInSecret = PhoneNumber.Create(agency, "+212600000002", Now);
        var orphan = PhoneNumber.Create(agency, "+212600000003", Now);
        var foreign = PhoneNumber.Create(new AgencyId(Guid.NewGuid()), "+212600000004", Now);
        var restricted = NewRecord(agency, Classification.Restricted, Now, Now.AddYears(1));
        restricted.SetAssertions([inRestricted], []);
        var secret = NewRecord(agency, Classification.Secret, Now, Now.AddYears(1));
        secret.SetAssertions([onlyInSecret, inRestricted], []);
        var foreignRecord = NewRecord(foreign.AgencyId, Classification.Unclassified, Now, Now.AddYears(1));
        foreignRecord.SetAssertions([foreign], []);
        Record[] records = [restricted, secret, foreignRecord];
        var mentions = records.SelectMany(r => r.Mentions).AsQueryable();

        var confidentialReader = AccessPolicy.ReadableEntities(User(agency, Classification.Confidential, Role.Analyst), Now, mentions, records.AsQueryable(), []).Compile();
        var secretReader = AccessPolicy.ReadableEntities(User(agency, Classification.Secret, Role.Analyst), Now, mentions, records.AsQueryable(), []).Compile();

        Assert.True(confidentialReader(inRestricted));
        Assert.False(confidentialReader(onlyInSecret));
        Assert.True(secretReader(onlyInSecret));
        Assert.False(secretReader(orphan) || confidentialReader(orphan));
        Assert.False(secretReader(foreign));
    }

    [Fact]
    public void ReadableRecords_KeepsPrincipalValuesOutOfConstants_SoQueriesAreParameterised()
    {
        var expression = AccessPolicy.ReadableRecords(User(new AgencyId(Guid.NewGuid()), Classification.Secret), Now, []);

        // A query provider turns member access on a captured object into a SQL parameter; an id, Guid or date constant would be a literal.
        var constants = new ConstantCollector();
        constants.Visit(expression);
        Assert.DoesNotContain(constants.Types, t => t == typeof(Guid) || t == typeof(AgencyId) || t == typeof(UserId) || t == typeof(DateTimeOffset) || t == typeof(DateOnly) || t == typeof(Classification));
        Assert.NotEmpty(constants.Types);
    }

    private sealed class ConstantCollector : System.Linq.Expressions.ExpressionVisitor
    {
        public List<Type> Types { get; } = [];

        protected override System.Linq.Expressions.Expression VisitConstant(System.Linq.Expressions.ConstantExpression node)
        {
            Types.Add(node.Type);
            return base.VisitConstant(node);
        }
    }

    [Theory]
    [InlineData(Role.Analyst, true)]
    [InlineData(Role.FieldOfficer, true)]
    [InlineData(Role.LiaisonOfficer, true)]
    [InlineData(Role.LegalReviewer, false)]
    [InlineData(Role.Administrator, false)]
    public void CanCreate_OnlyWritersWriteRecords(Role role, bool allowed)
    {
        var agency = new AgencyId(Guid.NewGuid());
        var content = NewRecord(agency, Classification.Restricted, Now, Now.AddYears(1));

        Assert.Equal(allowed, AccessPolicy.CanCreate(User(agency, Classification.Secret, role), RecordContentOf(content)).IsAllowed);
    }

    [Fact]
    public void CanCreate_AboveOwnClearance_IsDenied()
    {
        var agency = new AgencyId(Guid.NewGuid());
        var secret = NewRecord(agency, Classification.Secret, Now, Now.AddYears(1));

        var decision = AccessPolicy.CanCreate(User(agency, Classification.Confidential, Role.Analyst), RecordContentOf(secret));

        Assert.Equal(PolicyOutcome.Denied, decision.Outcome);
        Assert.Contains("clearance", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CanDelete_AuthorLegalReviewerOrAdministrator_ElseDenied_AndInvisibleIsNotVisible()
    {
        var agency = new AgencyId(Guid.NewGuid());
        var author = User(agency, Classification.Secret, Role.Analyst);
        var record = NewRecord(agency, Classification.Restricted, Now, Now.AddYears(1), author.UserId);

        Assert.True(AccessPolicy.CanDelete(author, record, Now).IsAllowed);
        Assert.True(AccessPolicy.CanDelete(User(agency, Classification.Secret, Role.LegalReviewer), record, Now).IsAllowed);
        Assert.True(AccessPolicy.CanDelete(User(agency, Classification.Secret, Role.Administrator), record, Now).IsAllowed);
        Assert.Equal(PolicyOutcome.Denied, AccessPolicy.CanDelete(User(agency, Classification.Secret, Role.Analyst), record, Now).Outcome);
        Assert.Equal(PolicyOutcome.NotVisible, AccessPolicy.CanDelete(User(new AgencyId(Guid.NewGuid()), Classification.Secret, Role.Administrator), record, Now).Outcome);
    }

    [Fact]
    public void CanManageUsers_OnlyAdministratorsOfTheSameAgency()
    {
        var agency = new AgencyId(Guid.NewGuid());

        Assert.True(AccessPolicy.CanManageUsers(User(agency, Classification.Secret, Role.Administrator), agency).IsAllowed);
        Assert.False(AccessPolicy.CanManageUsers(User(agency, Classification.Secret, Role.Analyst), agency).IsAllowed);
        Assert.False(AccessPolicy.CanManageUsers(User(new AgencyId(Guid.NewGuid()), Classification.Secret, Role.Administrator), agency).IsAllowed);
    }

    [Fact]
    public void CanManageUser_CreatingAUser_IsForAdministratorsOfThatAgency()
    {
        var agency = new AgencyId(Guid.NewGuid());
        Role[] roles = [Role.Analyst];

        Assert.True(AccessPolicy.CanManageUser(User(agency, Classification.Secret, Role.Administrator), agency, roles, Classification.Secret).IsAllowed);
        var notAdministrator = AccessPolicy.CanManageUser(User(agency, Classification.Secret, Role.Analyst, Role.LegalReviewer), agency, roles, Classification.Restricted);
        Assert.Equal(PolicyOutcome.Denied, notAdministrator.Outcome);
        Assert.Equal("only administrators manage user accounts", notAdministrator.Reason);
        var otherAgency = AccessPolicy.CanManageUser(User(new AgencyId(Guid.NewGuid()), Classification.Secret, Role.Administrator), agency, roles, Classification.Restricted);
        Assert.Equal("administrators manage only their own agency's users", otherAgency.Reason);
    }

    [Theory]
    [InlineData(Classification.Confidential, Classification.Secret, false)]
    [InlineData(Classification.Confidential, Classification.Confidential, true)]
    [InlineData(Classification.Restricted, Classification.Unclassified, true)]
    [InlineData(Classification.Unclassified, Classification.Restricted, false)]
    public void CanManageUser_GrantsNoClearanceAboveTheAdministratorsOwn(Classification own, Classification granted, bool allowed)
    {
        var agency = new AgencyId(Guid.NewGuid());

        var decision = AccessPolicy.CanManageUser(User(agency, own, Role.Administrator), agency, [Role.LegalReviewer], granted);

        Assert.Equal(allowed, decision.IsAllowed);
        Assert.Equal(allowed ? PolicyOutcome.Allowed : PolicyOutcome.Denied, decision.Outcome);
    }

    [Fact]
    public void CanExportSubjectAccess_LegalReviewersOnly()
    {
        var agency = new AgencyId(Guid.NewGuid());

        Assert.True(AccessPolicy.CanExportSubjectAccess(User(agency, Classification.Restricted, Role.LegalReviewer)).IsAllowed);
        foreach (var role in Enum.GetValues<Role>().Where(r => r != Role.LegalReviewer))
        {
            var refused = AccessPolicy.CanExportSubjectAccess(User(agency, Classification.Secret, role));
            Assert.Equal(PolicyOutcome.Denied, refused.Outcome);
            Assert.Equal("data-subject access exports are made by legal reviewers", refused.Reason);
        }
    }

    [Fact]
    public void CanReadAudit_LegalReviewersAndAdministratorsOnly()
    {
        var agency = new AgencyId(Guid.NewGuid());

        Assert.True(AccessPolicy.CanReadAudit(User(agency, Classification.Restricted, Role.LegalReviewer)).IsAllowed);
        Assert.True(AccessPolicy.CanReadAudit(User(agency, Classification.Restricted, Role.Administrator)).IsAllowed);
        Assert.False(AccessPolicy.CanReadAudit(User(agency, Classification.Secret, Role.Analyst, Role.FieldOfficer)).IsAllowed);
    }

    [Fact]
    public void CanReadReviewQueue_LegalReviewersOnly()
    {
        var agency = new AgencyId(Guid.NewGuid());

        Assert.True(AccessPolicy.CanReadReviewQueue(User(agency, Classification.Restricted, Role.LegalReviewer)).IsAllowed);
        var denied = AccessPolicy.CanReadReviewQueue(User(agency, Classification.Secret, Role.Analyst, Role.Administrator, Role.LiaisonOfficer));
        Assert.Equal(PolicyOutcome.Denied, denied.Outcome);
        Assert.Equal("the review queue is for legal reviewers", denied.Reason);
    }

    private static RecordContent RecordContentOf(Record record) => RecordContent.Create(
        record.Kind, record.Title, record.Body, record.Language, record.LegalBasis, record.Purpose, record.RetentionUntil, record.ReviewDate,
        record.Marking, record.SourceGrading, [.. record.ThreatDomains]);

    [Fact]
    public void AgreementChanges_AreForTheTwoPartiesAdministrators_AndOnlyThePartnerAccepts()
    {
        var proposer = new AgencyId(Guid.NewGuid());
        var partner = new AgencyId(Guid.NewGuid());
        var agreement = SharingAgreement.Propose(new SharingTerms(proposer, partner, [ThreatDomain.Terrorism], Classification.Secret, [HandlingCode.H0], new DateOnly(2027, 1, 1), new DateOnly(2028, 1, 1)), new UserId(Guid.NewGuid()), Now);
        var proposerAdmin = User(proposer, Classification.Secret, Role.Administrator);
        var partnerAdmin = User(partner, Classification.Secret, Role.Administrator);
        var partnerAnalyst = User(partner, Classification.Secret, Role.Analyst);
        var outsiderAdmin = User(new AgencyId(Guid.NewGuid()), Classification.Secret, Role.Administrator);

        foreach (var change in Enum.GetValues<AgreementAction>())
        {
            Assert.Equal(PolicyOutcome.NotVisible, AccessPolicy.CanChangeAgreement(outsiderAdmin, agreement, change).Outcome);
            Assert.Equal(PolicyOutcome.Denied, AccessPolicy.CanChangeAgreement(partnerAnalyst, agreement, change).Outcome);
            Assert.True(AccessPolicy.CanChangeAgreement(partnerAdmin, agreement, change).IsAllowed);
            Assert.Equal(change != AgreementAction.Accept, AccessPolicy.CanChangeAgreement(proposerAdmin, agreement, change).IsAllowed);
        }

        Assert.Contains("cannot accept", AccessPolicy.CanChangeAgreement(proposerAdmin, agreement, AgreementAction.Accept).Reason, StringComparison.Ordinal);

        agreement.Accept(partnerAdmin.UserId, Now);
        agreement.Suspend(proposer, "audit of the partner's handling", Now);
        Assert.Equal(PolicyOutcome.Denied, AccessPolicy.CanChangeAgreement(partnerAdmin, agreement, AgreementAction.Resume).Outcome);
        Assert.True(AccessPolicy.CanChangeAgreement(proposerAdmin, agreement, AgreementAction.Resume).IsAllowed);
        Assert.True(AccessPolicy.CanChangeAgreement(partnerAdmin, agreement, AgreementAction.End).IsAllowed);
    }

    [Theory]
    [InlineData(Classification.Restricted, Tlp.Amber, false)]
    [InlineData(Classification.Restricted, Tlp.AmberStrict, true)]
    [InlineData(Classification.Unclassified, Tlp.Red, true)]
    [InlineData(Classification.Confidential, Tlp.Green, true)]
    [InlineData(Classification.Secret, Tlp.Clear, true)]
    public void Releases_OfSensitiveMarkings_NeedASecondPerson(Classification classification, Tlp tlp, bool needed) =>
        Assert.Equal(needed, AccessPolicy.ReleaseNeedsSecondPerson(Marking.Create(classification, tlp, HandlingCode.H0)));

    private static RecordContent ContentWith(Marking marking) => RecordContent.Create(
        RecordKind.IntelligenceReport, "t", "", "en", "basis", "purpose", Now.AddYears(1), DateOnly.FromDateTime(Now.UtcDateTime).AddMonths(6),
        marking, SourceGrading.Parse("B2"), [ThreatDomain.Terrorism]);

    /// <summary>Issue 13: a field officer overwrote a colleague's CONFIDENTIAL record; a named TLP:RED recipient changed one.</summary>
    [Fact]
    public void CanUpdate_IsForTheAuthorOrAnEditorOfTheAgency_ClearedForTheOldAndTheNewMarking()
    {
        var agency = new AgencyId(Guid.NewGuid());
        var author = User(agency, Classification.Secret, Role.Analyst);
        var officer = User(agency, Classification.Secret, Role.FieldOfficer);
        var editor = User(agency, Classification.Confidential, Role.Editor);
        var record = NewRecord(agency, Classification.Confidential, Now.AddDays(-1), Now.AddYears(1), author.UserId);
        var red = NewRecord(agency, Classification.Restricted, Now.AddDays(-1), Now.AddYears(1), author.UserId, Tlp.Red, [officer.UserId]);
        var declassified = ContentWith(Marking.Create(Classification.Unclassified, Tlp.Clear, HandlingCode.H0));
        var secret = ContentWith(Marking.Create(Classification.Secret, Tlp.Amber, HandlingCode.H0));

        Assert.True(AccessPolicy.CanUpdate(author, record, declassified, Now).IsAllowed);
        Assert.Equal(PolicyOutcome.Denied, AccessPolicy.CanUpdate(officer, record, declassified, Now).Outcome);
        Assert.Equal(PolicyOutcome.Denied, AccessPolicy.CanUpdate(officer, red, declassified, Now).Outcome);
        Assert.True(AccessPolicy.CanUpdate(editor, record, declassified, Now).IsAllowed);
        Assert.Equal(PolicyOutcome.Denied, AccessPolicy.CanUpdate(editor, record, secret, Now).Outcome);
        Assert.Equal(PolicyOutcome.NotVisible, AccessPolicy.CanUpdate(User(agency, Classification.Restricted, Role.Editor), record, declassified, Now).Outcome);
        Assert.Equal(PolicyOutcome.NotVisible, AccessPolicy.CanUpdate(User(new AgencyId(Guid.NewGuid()), Classification.Secret, Role.Editor), record, declassified, Now).Outcome);
    }

    [Theory]
    [InlineData("CONFIDENTIAL", "AMBER", "H2", "RESTRICTED", "AMBER", "H2", true)]
    [InlineData("CONFIDENTIAL", "AMBER", "H2", "CONFIDENTIAL", "GREEN", "H2", true)]
    [InlineData("CONFIDENTIAL", "AMBER", "H2", "CONFIDENTIAL", "AMBER", "H1", true)]
    [InlineData("CONFIDENTIAL", "AMBER", "H2", "SECRET", "RED", "H3", false)]
    [InlineData("CONFIDENTIAL", "AMBER", "H2", "CONFIDENTIAL", "AMBER", "H2", false)]
    [InlineData("RESTRICTED", "RED", "H0", "RESTRICTED", "AMBER+STRICT", "H0", true)]
    public void LoweringAnyPartOfTheMarking_IsADeclassification(string fromClassification, string fromTlp, string fromHandling, string toClassification, string toTlp, string toHandling, bool declassifies)
    {
        var agency = new AgencyId(Guid.NewGuid());
        var record = Record.Create(agency, new UserId(Guid.NewGuid()), ContentWith(Marking.Parse(fromClassification, fromTlp, fromHandling)), Now);
        var to = Marking.Parse(toClassification, toTlp, toHandling, toHandling == "H3" ? "court only" : null);

        Assert.Equal(declassifies, AccessPolicy.ChangeNeedsLegalApproval(record, to, []));
    }

    [Fact]
    public void RewritingAnH3Restriction_OrNamingMoreRedRecipients_IsADeclassification_NamingFewerIsNot()
    {
        var author = new UserId(Guid.NewGuid());
        var (kept, added) = (new UserId(Guid.NewGuid()), new UserId(Guid.NewGuid()));
        var h3 = Record.Create(new AgencyId(Guid.NewGuid()), author, ContentWith(Marking.Create(Classification.Restricted, Tlp.Amber, HandlingCode.H3, "court only")), Now);
        var red = NewRecord(new AgencyId(Guid.NewGuid()), Classification.Restricted, Now.AddDays(-1), Now.AddYears(1), author, Tlp.Red, [kept]);

        Assert.True(AccessPolicy.ChangeNeedsLegalApproval(h3, Marking.Create(Classification.Restricted, Tlp.Amber, HandlingCode.H3, "anything goes"), []));
        Assert.False(AccessPolicy.ChangeNeedsLegalApproval(h3, Marking.Create(Classification.Restricted, Tlp.Amber, HandlingCode.H3, "court only"), []));
        Assert.True(AccessPolicy.ChangeNeedsLegalApproval(red, red.Marking, [kept, added]));
        Assert.False(AccessPolicy.ChangeNeedsLegalApproval(red, red.Marking, [kept, author]));
        Assert.False(AccessPolicy.ChangeNeedsLegalApproval(red, red.Marking, []));
    }

    /// <summary>Issue 13: a CONFIDENTIAL / TLP:AMBER+STRICT record, downgraded, released at once, then restored.</summary>
    [Fact]
    public void FourEyes_IsJudgedOnTheMostSensitiveMarkingSinceTheLastRelease()
    {
        var record = Record.Create(new AgencyId(Guid.NewGuid()), new UserId(Guid.NewGuid()), ContentWith(Marking.Create(Classification.Confidential, Tlp.AmberStrict, HandlingCode.H0)), Now);
        record.Update(ContentWith(Marking.Create(Classification.Unclassified, Tlp.Green, HandlingCode.H0)), Now);

        Assert.False(AccessPolicy.ReleaseNeedsSecondPerson(record.Marking));
        Assert.True(AccessPolicy.ReleaseNeedsSecondPerson(record));
    }

    [Fact]
    public void ADeclassification_IsDecidedByAnotherLegalReviewerOfTheAgency_WhoMayReadTheRecordAndIsClearedForTheProposal()
    {
        var agency = new AgencyId(Guid.NewGuid());
        var requester = User(agency, Classification.Secret, Role.Analyst, Role.LegalReviewer);
        var record = NewRecord(agency, Classification.Confidential, Now.AddDays(-1), Now.AddYears(1), requester.UserId);
        var request = Declassification.Request(record, requester.UserId, Marking.Create(Classification.Restricted, Tlp.Amber, HandlingCode.H0), false, "{}", Now);

        Assert.True(AccessPolicy.CanDecideDeclassification(User(agency, Classification.Confidential, Role.LegalReviewer), request, record, Now).IsAllowed);
        Assert.Equal(PolicyOutcome.Denied, AccessPolicy.CanDecideDeclassification(requester, request, record, Now).Outcome);
        Assert.Equal(PolicyOutcome.Denied, AccessPolicy.CanDecideDeclassification(User(agency, Classification.Secret, Role.Analyst), request, record, Now).Outcome);
        Assert.Equal(PolicyOutcome.NotVisible, AccessPolicy.CanDecideDeclassification(User(agency, Classification.Restricted, Role.LegalReviewer), request, record, Now).Outcome);
        Assert.Equal(PolicyOutcome.NotVisible, AccessPolicy.CanDecideDeclassification(User(new AgencyId(Guid.NewGuid()), Classification.Secret, Role.LegalReviewer), request, record, Now).Outcome);
        Assert.Equal(PolicyOutcome.NotVisible, AccessPolicy.CanDecideDeclassification(User(agency, Classification.Secret, Role.LegalReviewer), request, null, Now).Outcome);
    }
}

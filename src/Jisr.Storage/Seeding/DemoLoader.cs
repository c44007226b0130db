using Jisr.Domain.Notices;


namespace Jisr.Storage.Seeding;

/// <summary>A demo user with a freshly issued API token.</summary>
public sealed record DemoAccount(string AgencyCode, string UserName, Role Role, string Token);

/// <summary>
/// Loads the demo data set (<see cref="DemoDataSet"/>) into a database. Each part is loaded only if missing, and
/// all records go in one transaction, so running it twice, or again after an interrupted run, changes nothing
/// but the tokens it issues.
/// </summary>
public sealed class DemoLoader(JisrDbContext db, AccountService accounts, AuditLog audit, Sharing.ReleaseStore releases, Notices.NoticeStore notices, TimeProvider time)
{
    private static readonly AuditEvent By = new(AuditActions.DemoLoad, ActorName: "jisr-demo");

    public async Task<IReadOnlyList<DemoAccount>> LoadAsync(CancellationToken cancellationToken = default)
    {
        var world = DemoDataSet.Build(time.GetUtcNow());
        var agencyIds = new Dictionary<string, AgencyId>(StringComparer.Ordinal);
        foreach (var agency in world.Agencies)
        {
            var existing = await accounts.FindAgencyAsync(agency.Code, cancellationToken);
            agencyIds[agency.Code] = existing?.Id ?? (await accounts.CreateAgencyAsync(agency, By, cancellationToken)).Id;
        }

        foreach (var user in world.Users)
        {
            if (await accounts.FindUserAsync(user.UserName) is null)
            {
                await accounts.CreateUserAsync(
                    agencyIds[user.AgencyCode], user.UserName, user.DisplayName, user.Roles, user.Clearance, password: null, By,
                    DemoDataSet.UserId(user.UserName), cancellationToken);
            }
        }

        var demoAgencyIds = agencyIds.Values.ToList();
        if (!await db.Records.AnyAsync(r => demoAgencyIds.Contains(r.OriginatorAgencyId), cancellationToken))
        {
            await LoadRecordsAsync(world, agencyIds, cancellationToken);
        }

        if (!await db.Agreements.AnyAsync(a => demoAgencyIds.Contains(a.ProposerAgencyId), cancellationToken))
        {
            await LoadAgreementsAsync(agencyIds, cancellationToken);
        }

        if (!await db.Releases.AnyAsync(r => demoAgencyIds.Contains(r.ReleasingAgencyId), cancellationToken))
        {
            await LoadReleasesAsync(world, agencyIds, cancellationToken);
        }

        if (!await db.Notices.AnyAsync(n => demoAgencyIds.Contains(n.IssuerAgencyId), cancellationToken))
        {
            await LoadNoticesAsync(world, agencyIds, cancellationToken);
        }

        var tokens = new List<DemoAccount>();
        foreach (var user in world.Users)
        {
            var account = await accounts.FindUserAsync(user.UserName)
                ?? throw new InvalidOperationException($"demo user {user.UserName} was not created");
            var token = (await accounts.IssueTokenAsync(new UserId(account.Id), "demo", null, By, cancellationToken)).Secret;
            tokens.Add(new DemoAccount(user.AgencyCode, user.UserName, user.Roles[0], token));
        }

        return tokens;
    }

    /// <summary>The partnerships of the demo: each pair proposed by the first agency and accepted by the second.</summary>
    private static readonly (string Proposer, string Partner, ThreatDomain[] Domains, Classification Highest)[] Partnerships =
    [
        ("MA-DGSN", "ES-CNP", [ThreatDomain.DrugTrafficking, ThreatDomain.MigrantSmuggling, ThreatDomain.OrganisedCrime], Classification.Confidential),
        ("MA-DGST", "FR-DGSI", [ThreatDomain.Terrorism, ThreatDomain.TerrorismFinancing, ThreatDomain.OnlineExtremism], Classification.Secret),
        ("MA-ANRF", "MA-DGST", [ThreatDomain.TerrorismFinancing, ThreatDomain.OrganisedCrime], Classification.Secret),
        ("INT-IPSG", "MA-DGSN", [.. Enum.GetValues<ThreatDomain>()], Classification.Restricted),
        ("INT-IPSG", "ES-CNP", [.. Enum.GetValues<ThreatDomain>()], Classification.Restricted),
    ];

    private async Task LoadAgreementsAsync(Dictionary<string, AgencyId> agencyIds, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        foreach (var (proposer, partner, domains, highest) in Partnerships)
        {
            var agreement = SharingAgreement.Propose(
                new SharingTerms(agencyIds[proposer], agencyIds[partner], domains, highest, [HandlingCode.H0, HandlingCode.H1, HandlingCode.H2],
                today, today.AddYears(3)), DemoDataSet.UserId($"admin.{proposer.Split('-')[1].ToLowerInvariant()}"), now);
            agreement.Accept(DemoDataSet.UserId($"admin.{partner.Split('-')[1].ToLowerInvariant()}"), now);
            db.Agreements.Add(agreement);
        }

        await audit.SaveWithAuditAsync(db, By with { Detail = $"{Partnerships.Length} sharing agreements" }, cancellationToken);
        db.ChangeTracker.Clear();
    }

    /// <summary>
    /// Under each agreement, each side releases a few of its records that the agreement covers (the oldest first), as
    /// its authors would through the API: most go out at once, those whose marking needs a second person wait in the
    /// releasing agency's approval queue.
    /// </summary>
    private async Task LoadReleasesAsync(DemoWorld world, Dictionary<string, AgencyId> agencyIds, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var users = world.Users.ToDictionary(u => DemoDataSet.UserId(u.UserName));
        var agreements = await db.Agreements.Where(a => agencyIds.Values.Contains(a.ProposerAgencyId)).ToListAsync(cancellationToken);
        foreach (var agreement in agreements.Where(a => a.IsInForce(DateOnly.FromDateTime(now.UtcDateTime))))
        {
            foreach (var (from, to, count) in new[] { (agreement.ProposerAgencyId, agreement.PartnerAgencyId, 4), (agreement.PartnerAgencyId, agreement.ProposerAgencyId, 2) })
            {
                var candidates = await db.Records.Include(r => r.Mentions).Include(r => r.Links).AsSplitQuery()
                    .Where(r => r.HolderAgencyId == from && r.Provenance == null && r.Marking.Tlp != Tlp.Red)
                    .OrderBy(r => r.CreatedAt).Take(100).ToListAsync(cancellationToken);
                foreach (var record in candidates.Where(r => agreement.WhyNotCovering(r.Marking, [.. r.ThreatDomains]) is null).Take(count))
                {
                    var author = users[record.AuthorUserId];
                    var requester = PrincipalOf(author, from);
                    var release = Release.Request(record, to, agreement, record.AuthorUserId, [], "Shared for the joint investigation (demo data set).", Policy.AccessPolicy.ReleaseNeedsSecondPerson(record), now);
                    await releases.RequestAsync(requester, release, record, agreement, cancellationToken);
                }
            }
        }

        db.ChangeTracker.Clear();
    }

    /// <summary>Notices between partners, in the three languages, about persons of the issuer's own records.</summary>
    private static readonly (string Issuer, string Recipient, NoticeColor Color, ThreatDomain Domain, string Title, string Summary, string Offence)[] DemoNotices =
    [
        ("MA-DGSN", "ES-CNP", NoticeColor.Red, ThreatDomain.DrugTrafficking, "Mandat d'arrêt : réseau de résine de cannabis, Tanger Med",
            "Recherché pour l'organisation d'expéditions de résine de cannabis par conteneurs vers Algésiras.", "trafic international de stupéfiants"),
        ("ES-CNP", "MA-DGSN", NoticeColor.Blue, ThreatDomain.MigrantSmuggling, "Whereabouts sought: organiser of small-boat crossings",
            "Sought to establish his whereabouts; linked to crossings from the Nador coast in 2025.", "migrant smuggling"),
        ("MA-DGST", "FR-DGSI", NoticeColor.Green, ThreatDomain.TerrorismFinancing, "تنبيه: عنصر في شبكة لتمويل الإرهاب",
            "يشتبه في تحويله أموالا عبر الحوالة لفائدة خلية إرهابية خارج التراب الوطني.", "تمويل الإرهاب"),
        ("FR-DGSI", "MA-DGST", NoticeColor.Orange, ThreatDomain.Terrorism, "Menace imminente : préparation d'une attaque",
            "Individu considéré comme dangereux, susceptible de préparer une attaque contre un lieu public.", "association de malfaiteurs terroriste"),
        ("MA-ANRF", "MA-DGST", NoticeColor.Blue, ThreatDomain.OrganisedCrime, "تحديد مكان: مسير شركات واجهة",
            "مطلوب تحديد مكان إقامته في إطار بحث حول تبييض الأموال عبر شركات واجهة.", "غسل الأموال"),

        // An offence of expression alone under online extremism: the neutrality screen holds it for FR-DGSI's legal reviewer.
        ("FR-DGSI", "MA-DGST", NoticeColor.Red, ThreatDomain.OnlineExtremism, "Wanted: online recruiter",
            "Arrest warrant issued by a member country's court.", "apologie du terrorisme sur les réseaux sociaux"),
    ];

    /// <summary>
    /// Issues the demo notices as an analyst of the issuer would through the API: each about a person of one of the
    /// issuer's own records, passed through the neutrality screen (a flagged one waits for a legal reviewer).
    /// </summary>
    private async Task LoadNoticesAsync(DemoWorld world, Dictionary<string, AgencyId> agencyIds, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var (issuerCode, recipientCode, color, domain, title, summary, offence) in DemoNotices)
        {
            var issuer = agencyIds[issuerCode];
            var author = world.Users.First(u => u.AgencyCode == issuerCode && u.Roles.Contains(Role.Analyst));
            var authorId = DemoDataSet.UserId(author.UserName);
            var subject = await db.Mentions.AsNoTracking()
                .Where(m => db.Records.Any(r => r.Id == m.RecordId && r.HolderAgencyId == issuer && r.Provenance == null)
                            && db.Entities.OfType<Person>().Any(p => p.Id == m.EntityId))
                .OrderBy(m => m.EntityId).Select(m => m.EntityId).FirstAsync(cancellationToken);
            var notice = Notice.Create(
                issuer, authorId, color, subject, title, summary, offence, domain, [agencyIds[recipientCode]],
                Policy.NeutralityScreen.Screen(domain, offence, title, summary), now);
            await notices.AddAsync(PrincipalOf(author, issuer), notice, cancellationToken);
        }

        db.ChangeTracker.Clear();
    }

    /// <summary>A demo user acting as they would through the API.</summary>
    private static Policy.Principal PrincipalOf(DemoUser user, AgencyId agencyId) =>
        new(DemoDataSet.UserId(user.UserName), user.UserName, agencyId, user.AgencyCode, user.Roles.ToHashSet(), user.Clearance);

    private async Task LoadRecordsAsync(DemoWorld world, Dictionary<string, AgencyId> agencyIds, CancellationToken cancellationToken)
    {
        // Agencies that existed before keep their ids; the demo records are only loaded into a fresh set of demo agencies.
        if (world.Agencies.Any(a => agencyIds[a.Code] != a.Id))
        {
            throw new InvalidOperationException("the demo agencies exist with other ids; load the demo data set into a new database");
        }

        var seen = new HashSet<EntityId>();
        foreach (var item in world.Records)
        {
            db.Entities.AddRange(item.Entities.Where(e => seen.Add(e.Id)));
            db.Records.Add(item.Record);
            db.Entry(item.Record).Property<string>(JisrDbContext.SearchTextColumn).CurrentValue = SearchText.Of(item.Record, item.Entities);
        }

        await audit.SaveWithAuditAsync(db, By with { Detail = $"{world.Records.Count} records" }, cancellationToken);
        db.ChangeTracker.Clear();
    }
}

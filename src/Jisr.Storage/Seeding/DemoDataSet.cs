using System.Globalization;
using static Jisr.Storage.Seeding.DemoVocabulary;

namespace Jisr.Storage.Seeding;

public sealed record DemoUser(string AgencyCode, string UserName, string DisplayName, IReadOnlyList<Role> Roles, Classification Clearance);

/// <summary>A record of the demo data set with every entity it mentions (some shared with other records of its agency).</summary>
public sealed record DemoRecord(string AgencyCode, string AuthorUserName, Record Record, IReadOnlyList<Entity> Entities);

public sealed record DemoWorld(IReadOnlyList<Agency> Agencies, IReadOnlyList<DemoUser> Users, IReadOnlyList<DemoRecord> Records);

/// <summary>
/// The demo data set: six agencies, their users, and 40 records each in Arabic, French and English across every
/// threat domain, about small fictional networks ("cells") whose members recur from report to report — and, spelled
/// each service's own way, from agency to agency. Deterministic for a given <c>now</c> (apart from generated ids).
/// </summary>
public static class DemoDataSet
{
    public const int RecordsPerAgency = 40;

    private const int Seed = 20261125;
    private const int PersonsPerAgency = 12;
    private const int CellSize = 4;

    /// <summary>How an agency writes the names of the persons in its files.</summary>
    private enum NameStyle
    {
        ArabicAndFrench,
        FamilyFirstFrench,
        ArabicWithFathersName,
        SpanishService,
        FrenchService,
        EnglishAndArabic,
    }

    private sealed record AgencyProfile(
        string Code, string Name, string Country, NameStyle Style, (string Language, int Weight)[] Languages, string LegalBasis, string PhonePrefix);

    private static readonly AgencyProfile[] Profiles =
    [
        new("MA-DGSN", "المديرية العامة للأمن الوطني — Direction Générale de la Sûreté Nationale", "MA", NameStyle.ArabicAndFrench,
            [("ar", 6), ("fr", 3), ("en", 1)], "Code de procédure pénale, art. 18 et suivants (missions de police judiciaire)", "+212 6"),
        new("MA-DGST", "المديرية العامة لمراقبة التراب الوطني — Direction Générale de la Surveillance du Territoire", "MA", NameStyle.FamilyFirstFrench,
            [("ar", 6), ("fr", 3), ("en", 1)], "Loi relative à la lutte contre le terrorisme ; Code pénal, art. 218-1 et suivants", "+212 6"),
        new("MA-ANRF", "الهيئة الوطنية للمعلومات المالية — Autorité Nationale du Renseignement Financier", "MA", NameStyle.ArabicWithFathersName,
            [("ar", 5), ("fr", 4), ("en", 1)], "Loi relative à la lutte contre le blanchiment de capitaux et le financement du terrorisme", "+212 6"),
        new("ES-CNP", "Cuerpo Nacional de Policía — Comisaría General de Información", "ES", NameStyle.SpanishService,
            [("fr", 2), ("en", 3)], "Ley Orgánica de Protección de la Seguridad Ciudadana; Directiva (UE) 2016/680", "+34 6"),
        new("FR-DGSI", "Direction générale de la sécurité intérieure", "FR", NameStyle.FrenchService,
            [("fr", 4), ("en", 1)], "Code de la sécurité intérieure, art. L. 811-3 (prévention du terrorisme et de la criminalité organisée)", "+33 6"),
        new("INT-IPSG", "INTERPOL General Secretariat", "INT", NameStyle.EnglishAndArabic,
            [("en", 6), ("fr", 2), ("ar", 2)], "INTERPOL Rules on the Processing of Data, art. 10 (purposes of international police cooperation)", "+33 4"),
    ];

    private static readonly DemoUser[] UserList =
    [
        new("MA-DGSN", "amina.analyst.dgsn", "Amina Berrada", [Role.Analyst], Classification.Secret),
        new("MA-DGSN", "hamza.field.dgsn", "Hamza Lahlou", [Role.FieldOfficer], Classification.Confidential),
        new("MA-DGSN", "admin.dgsn", "Leila Bennani", [Role.Administrator], Classification.Secret),
        new("MA-DGSN", "youssef.legal.dgsn", "Youssef Tazi", [Role.LegalReviewer], Classification.Secret),
        new("MA-DGSN", "operator.node", "Rachid Alami", [Role.NodeAdministrator], Classification.Restricted),
        new("MA-DGST", "salma.analyst.dgst", "Salma Fikri", [Role.Analyst], Classification.Secret),
        new("MA-DGST", "karim.legal.dgst", "Karim Sqalli", [Role.LegalReviewer], Classification.Secret),
        new("MA-DGST", "admin.dgst", "Omar Belkadi", [Role.Administrator], Classification.Secret),
        new("MA-ANRF", "nadia.analyst.anrf", "Nadia Skalli", [Role.Analyst], Classification.Secret),
        new("MA-ANRF", "admin.anrf", "Driss Amrani", [Role.Administrator], Classification.Confidential),
        new("MA-ANRF", "sara.legal.anrf", "Sara El Idrissi", [Role.LegalReviewer], Classification.Confidential),
        new("ES-CNP", "lucia.analyst.cnp", "Lucía Herrera", [Role.Analyst], Classification.Confidential),
        new("ES-CNP", "pablo.liaison.cnp", "Pablo Iglesias Mora", [Role.LiaisonOfficer], Classification.Confidential),
        new("ES-CNP", "admin.cnp", "Elena Castro", [Role.Administrator], Classification.Secret),
        new("FR-DGSI", "claire.analyst.dgsi", "Claire Fontaine", [Role.Analyst], Classification.Secret),
        new("FR-DGSI", "marc.liaison.dgsi", "Marc Delmas", [Role.LiaisonOfficer], Classification.Secret),
        new("FR-DGSI", "admin.dgsi", "Sophie Marchand", [Role.Administrator], Classification.Secret),
        new("FR-DGSI", "julien.legal.dgsi", "Julien Moreau", [Role.LegalReviewer], Classification.Secret),
        new("INT-IPSG", "analyst.ipsg", "Daniel Okafor", [Role.Analyst], Classification.Confidential),
        new("INT-IPSG", "admin.ipsg", "Mei Lin Tan", [Role.Administrator], Classification.Confidential),
    ];

    private static readonly Dictionary<ThreatDomain, string> Purposes = new()
    {
        [ThreatDomain.Terrorism] = "Prévention et répression des actes de terrorisme",
        [ThreatDomain.TerrorismFinancing] = "Lutte contre le financement du terrorisme",
        [ThreatDomain.OrganisedCrime] = "Lutte contre la criminalité organisée et le blanchiment",
        [ThreatDomain.MigrantSmuggling] = "Démantèlement des réseaux de trafic de migrants",
        [ThreatDomain.HumanTrafficking] = "Identification et protection des victimes de traite",
        [ThreatDomain.DrugTrafficking] = "Répression du trafic international de stupéfiants",
        [ThreatDomain.Cybercrime] = "Investigation of cyber-enabled fraud and intrusions",
        [ThreatDomain.OnlineExtremism] = "Detection of online radicalisation and incitement to violence",
    };

    private static readonly string[] H3Notes =
    [
        "Diffusion limitée aux services de police judiciaire du destinataire",
        "Not to be used as grounds for an arrest without prior consultation",
        "لا يجوز استعماله إلا لأغراض التحقيق الجاري",
    ];

    // Ten draws each, weighted towards the middle levels as real holdings are.
    private static readonly Classification[] ClassificationDraws =
    [
        Classification.Unclassified, Classification.Restricted, Classification.Restricted, Classification.Restricted, Classification.Confidential,
        Classification.Confidential, Classification.Confidential, Classification.Confidential, Classification.Secret, Classification.Secret,
    ];

    private static readonly Tlp[] TlpDraws =
        [Tlp.Clear, Tlp.Green, Tlp.Amber, Tlp.Amber, Tlp.Amber, Tlp.Amber, Tlp.AmberStrict, Tlp.AmberStrict, Tlp.AmberStrict, Tlp.Red];

    private static readonly HandlingCode[] HandlingDraws =
        [HandlingCode.H0, HandlingCode.H0, HandlingCode.H0, HandlingCode.H1, HandlingCode.H1, HandlingCode.H1, HandlingCode.H2, HandlingCode.H2, HandlingCode.H2, HandlingCode.H3];

    /// <summary>The id a demo user gets, derived from the user name so the data set can refer to users before they exist.</summary>
    public static UserId UserId(string userName)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes("jisr-demo-user:" + userName));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5-style name-based id
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new(new Guid(hash.AsSpan(0, 16), bigEndian: true));
    }

    public static DemoWorld Build(DateTimeOffset now)
    {
        var random = new Random(Seed);
        var founded = now.AddYears(-3);
        var subjects = Subjects(random, now);
        var agencies = Profiles.Select(p => Agency.Create(p.Code, p.Name, p.Country, founded)).ToList();
        var records = new List<DemoRecord>();
        for (var a = 0; a < Profiles.Length; a++)
        {
            records.AddRange(AgencyRecords(Profiles[a], agencies[a], a, subjects, random, now));
        }

        // Loaded oldest first, so the newest records are listed first.
        records.Sort((x, y) => x.Record.CreatedAt.CompareTo(y.Record.CreatedAt));
        return new DemoWorld(agencies, UserList, records);
    }

    /// <summary>A fictional person: parts of a name, a partial date of birth, a nationality.</summary>
    private sealed record Subject(NamePart Given, NamePart Father, NamePart Family, string? OtherName, PartialDate BirthDate, string Nationality, string Passport, Gender Gender);

    private static List<Subject> Subjects(Random random, DateTimeOffset now)
    {
        var subjects = new List<Subject>();
        for (var i = 0; i < 40; i++)
        {
            var female = i % 5 == 4;
            var given = female ? FemaleGivenNames[random.Next(FemaleGivenNames.Length)] : MaleGivenNames[random.Next(MaleGivenNames.Length)];
            var father = MaleGivenNames[random.Next(MaleGivenNames.Length)];
            var family = FamilyNames[(i * 7 + random.Next(3)) % FamilyNames.Length];
            var other = i % 8 == 7 ? OtherPersons[(i / 8) % OtherPersons.Length] : null;
            var year = now.Year - 19 - random.Next(40);
            var birth = (i % 3) switch
            {
                0 => PartialDate.Create(year),
                1 => PartialDate.Create(year, 1 + random.Next(12)),
                _ => PartialDate.Create(year, 1 + random.Next(12), 1 + random.Next(28)),
            };
            var nationality = other is null ? (i % 6 == 5 ? "DZ" : "MA") : new[] { "ES", "FR", "SN", "SN", "BG" }[i % 5];
            var passport = $"{(char)('A' + random.Next(26))}{(char)('A' + random.Next(26))}{random.Next(1_000_000, 9_999_999)}";
            subjects.Add(new Subject(given, father, family, other, birth, nationality, passport, female ? Gender.Female : Gender.Male));
        }

        return subjects;
    }

    private static List<PersonName> NamesIn(NameStyle style, Subject s)
    {
        if (s.OtherName is { } other)
        {
            return [PersonName.Create(style == NameStyle.FamilyFirstFrench ? FamilyFirst(other) : other)];
        }

        var arabic = $"{s.Given.Arabic} {s.Family.Arabic}";
        string[] names = style switch
        {
            NameStyle.ArabicAndFrench => [arabic, $"{s.Given.French} {s.Family.French}"],
            NameStyle.FamilyFirstFrench => [$"{s.Family.French.ToUpperInvariant()} {s.Given.French}", arabic],
            NameStyle.ArabicWithFathersName => [$"{s.Given.Arabic} بن {s.Father.Arabic} {s.Family.Arabic}"],
            NameStyle.SpanishService => [$"{s.Given.French} {s.Family.French}"],
            NameStyle.FrenchService => [$"{s.Given.French} {s.Family.French.ToUpperInvariant()}"],
            NameStyle.EnglishAndArabic => [$"{s.Given.English} {s.Father.English} {s.Family.English}", arabic],
        };
        return [.. names.Select(n => PersonName.Create(n))];
    }

    private static string FamilyFirst(string name)
    {
        var parts = name.Split(' ');
        return $"{parts[^1].ToUpperInvariant()} {string.Join(' ', parts[..^1])}";
    }

    /// <summary>What an agency knows about one person: the person and their phone.</summary>
    private sealed record Known(Person Person, PhoneNumber Phone, string DisplayName);

    private static IEnumerable<DemoRecord> AgencyRecords(AgencyProfile profile, Agency agency, int agencyIndex, List<Subject> subjects, Random random, DateTimeOffset now)
    {
        var firstSeen = now.AddDays(-800);
        var known = new List<Known>();
        for (var j = 0; j < PersonsPerAgency; j++)
        {
            // Agencies' files overlap: the same subject appears in several agencies, spelled each one's way.
            var subject = subjects[((agencyIndex * 5) + j) % subjects.Count];
            var names = NamesIn(profile.Style, subject);
            var identifiers = j % 2 == 0 ? new[] { PersonIdentifier.Create("passport", subject.Passport, subject.Nationality == "BG" ? "BG" : subject.Nationality) } : [];
            var person = Person.Create(agency.Id, names, subject.BirthDate, null, subject.Gender, [subject.Nationality], identifiers, firstSeen);
            var phone = PhoneNumber.Create(agency.Id, $"{profile.PhonePrefix}{random.Next(10, 99)} {random.Next(100, 999)} {random.Next(100, 999)}", firstSeen);
            known.Add(new Known(person, phone, names[0].Text));
        }

        var cells = known.Chunk(CellSize).Select((members, c) => (Members: members, Front: Organisation.Create(
            agency.Id, FrontCompanies[((agencyIndex * 3) + c) % FrontCompanies.Length], [], profile.Country == "INT" ? "MA" : profile.Country, firstSeen))).ToList();
        var locations = new Dictionary<string, Location>(StringComparer.Ordinal);
        var authors = UserList.Where(u => u.AgencyCode == profile.Code && u.Roles.Any(r => r is Role.Analyst or Role.FieldOfficer or Role.LiaisonOfficer)).ToList();
        var domains = Enum.GetValues<ThreatDomain>();
        var kinds = Enum.GetValues<RecordKind>();
        var languages = profile.Languages.SelectMany(l => Enumerable.Repeat(l.Language, l.Weight)).ToArray();

        for (var i = 0; i < RecordsPerAgency; i++)
        {
            var domain = domains[(i + agencyIndex) % domains.Length];
            var language = languages[(i * 7 + agencyIndex) % languages.Length];
            var templates = Templates[(domain, language)];
            var template = templates[(i / domains.Length) % templates.Length];
            var cell = cells[i % cells.Count];
            var first = cell.Members[i % cell.Members.Length];
            var second = cell.Members[(i + 1 + (i / 3)) % cell.Members.Length];
            if (second == first)
            {
                second = cell.Members[(Array.IndexOf(cell.Members, first) + 1) % cell.Members.Length];
            }

            var place = Places[(i * 5 + agencyIndex) % Places.Length];
            var createdAt = now.AddDays(-random.Next(2, 700)).AddMinutes(-random.Next(0, 1440));
            var happened = createdAt.AddDays(-random.Next(1, 30));
            var location = locations.TryGetValue(place.Name, out var existing) ? existing
                : locations[place.Name] = Location.Create(agency.Id, place.Name, place.Country, place.Latitude, place.Longitude, firstSeen);

            var slots = new Dictionary<string, string>
            {
                ["{p1}"] = first.DisplayName,
                ["{p2}"] = second.DisplayName,
                ["{place}"] = language == "ar" ? place.Arabic : place.Name,
                ["{org}"] = cell.Front.Name,
                ["{date}"] = happened.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["{amount}"] = (random.Next(5, 900) * 1000).ToString("N0", CultureInfo.InvariantCulture),
                ["{n}"] = random.Next(3, 120).ToString(CultureInfo.InvariantCulture),
            };
            var content = RecordContent.Create(
                kinds[(i + agencyIndex) % kinds.Length],
                Fill(template.Title, slots),
                Fill(template.Body, slots),
                language,
                profile.LegalBasis,
                Purposes[domain],
                createdAt.AddYears(5 + random.Next(6)),
                DateOnly.FromDateTime(now.AddDays(random.Next(-60, 700)).UtcDateTime),
                RandomMarking(random),
                SourceGrading.Create("ABBBCCCDEF"[random.Next(10)], 1 + random.Next(6)),
                i % 4 == 0 ? [domain, domains[(Array.IndexOf(domains, domain) + 1) % domains.Length]] : [domain]);
            var author = authors[i % authors.Count];
            var record = Record.Create(agency.Id, UserId(author.UserName), content, createdAt);

            var assertions = new Assertions(createdAt);
            assertions.Mention(first.Person, second.Person);
            assertions.Link(first.Person, second.Person, LinkType.AssociateOf, happened.AddDays(-random.Next(30, 400)));
            assertions.Link(first.Person, first.Phone, LinkType.Owns, null);
            assertions.Link(second.Person, second.Phone, LinkType.Owns, null);
            assertions.Link(first.Phone, second.Phone, LinkType.Called, happened);
            assertions.Link(first.Person, location, LinkType.LocatedAt, happened);
            AddDomainSelectors(domain, assertions, agency, profile, first, second, cell.Front, location, happened, random, i);
            record.SetAssertions(assertions.Entities, assertions.Links);
            yield return new DemoRecord(profile.Code, author.UserName, record, assertions.Entities);
        }
    }

    /// <summary>What a report of each threat domain typically names besides the persons: accounts, vehicles, wallets...</summary>
    private static void AddDomainSelectors(
        ThreatDomain domain, Assertions a, Agency agency, AgencyProfile profile, Known first, Known second, Organisation front, Location location, DateTimeOffset happened, Random random, int i)
    {
        var at = a.At;
        switch (domain)
        {
            case ThreatDomain.Terrorism:
                var meeting = Event.Create(agency.Id, $"Meeting — {location.Name}", PartialDate.Create(happened.Year, happened.Month, happened.Day), location.Name, at);
                a.Link(first.Person, meeting, LinkType.LocatedAt, happened);
                a.Link(second.Person, meeting, LinkType.LocatedAt, happened);
                a.Link(first.Person, second.Person, LinkType.TravelledWith, happened);
                break;
            case ThreatDomain.TerrorismFinancing:
                var account = BankAccount.Create(agency.Id, Iban(profile.Country == "INT" ? "MA" : profile.Country, random), null, first.DisplayName, at);
                var wallet = CryptoWallet.Create(agency.Id, "BTC", Wallet(random), at);
                a.Link(first.Person, account, LinkType.Owns, null);
                a.Link(account, front, LinkType.Funded, happened);
                a.Link(second.Person, wallet, LinkType.Owns, null);
                break;
            case ThreatDomain.OrganisedCrime:
                var laundering = BankAccount.Create(agency.Id, Iban(profile.Country == "INT" ? "FR" : profile.Country, random), "BMCEMAMC", front.Name, at);
                a.Link(first.Person, front, LinkType.MemberOf, null);
                a.Link(second.Person, front, LinkType.MemberOf, null);
                a.Link(front, laundering, LinkType.Owns, null);
                break;
            case ThreatDomain.MigrantSmuggling:
                var boat = Vessel.Create(agency.Id, $"{new[] { "Al Amal", "Sirena", "Nour", "Estrella", "Baraka" }[i % 5]} {i}", Imo(random), null, "MA", at);
                a.Link(first.Person, boat, LinkType.Owns, null);
                a.Link(boat, location, LinkType.LocatedAt, happened);
                a.Link(first.Person, second.Person, LinkType.TravelledWith, happened);
                break;
            case ThreatDomain.HumanTrafficking:
                var passport = IdentityDocument.Create(agency.Id, DocumentKind.Passport, $"{(char)('A' + (i % 26))}{random.Next(1_000_000, 9_999_999)}", "MA", DateOnly.FromDateTime(happened.AddYears(3).UtcDateTime), at);
                a.Link(second.Person, passport, LinkType.Owns, null);
                a.Link(first.Person, front, LinkType.MemberOf, null);
                break;
            case ThreatDomain.DrugTrafficking:
                var truck = Vehicle.Create(agency.Id, Plate(profile.Country, random), profile.Country == "INT" ? "MA" : profile.Country, "Mercedes-Benz", "Actros", "blanc", at);
                a.Link(first.Person, truck, LinkType.Owns, null);
                a.Link(truck, location, LinkType.LocatedAt, happened);
                a.Link(first.Person, front, LinkType.MemberOf, null);
                break;
            case ThreatDomain.Cybercrime:
                var mail = EmailAddress.Create(agency.Id, $"support{i}@secure-pay{agency.Code.Length}.example", at);
                var ransom = CryptoWallet.Create(agency.Id, "BTC", Wallet(random), at);
                a.Link(first.Person, mail, LinkType.Owns, null);
                a.Link(second.Person, ransom, LinkType.Owns, null);
                break;
            case ThreatDomain.OnlineExtremism:
                var channel = OnlineAccount.Create(agency.Id, Platforms[i % Platforms.Length], $"@{new[] { "sawt", "nida", "bayan", "raya" }[i % 4]}_{random.Next(100, 999)}", null, at);
                a.Link(first.Person, channel, LinkType.Owns, null);
                a.Link(second.Person, channel, LinkType.MemberOf, null);
                break;
        }
    }

    /// <summary>Collects the entities and links of one record, each entity once.</summary>
    private sealed class Assertions(DateTimeOffset at)
    {
        public DateTimeOffset At { get; } = at;

        public List<Entity> Entities { get; } = [];

        public List<LinkDraft> Links { get; } = [];

        public void Mention(params Entity[] entities)
        {
            foreach (var entity in entities)
            {
                if (!Entities.Contains(entity))
                {
                    Entities.Add(entity);
                }
            }
        }

        public void Link(Entity from, Entity to, LinkType type, DateTimeOffset? since)
        {
            Mention(from, to);
            var validFrom = since is { } s && s <= At ? PartialDate.Create(s.Year, s.Month) : (PartialDate?)null;
            Links.Add(LinkDraft.Create(from.Id, to.Id, type, validFrom, null, At));
        }
    }

    private static Marking RandomMarking(Random random)
    {
        var classification = ClassificationDraws[random.Next(ClassificationDraws.Length)];
        var tlp = TlpDraws[random.Next(TlpDraws.Length)];
        var handling = HandlingDraws[random.Next(HandlingDraws.Length)];
        return Marking.Create(classification, tlp, handling, handling == HandlingCode.H3 ? H3Notes[random.Next(H3Notes.Length)] : null);
    }

    private static string Fill(string template, Dictionary<string, string> slots) =>
        slots.Aggregate(template, (text, slot) => text.Replace(slot.Key, slot.Value, StringComparison.Ordinal));

    /// <summary>A valid IBAN of the country's length: random account digits, check digits by ISO 13616 mod-97.</summary>
    private static string Iban(string country, Random random)
    {
        var length = country switch { "MA" => 28, "FR" => 27, "ES" => 24, _ => 22 };
        var bban = string.Concat(Enumerable.Range(0, length - 4).Select(_ => (char)('0' + random.Next(10))));
        var numeric = bban + string.Concat(country.Select(c => (c - 'A' + 10).ToString(CultureInfo.InvariantCulture))) + "00";
        var remainder = numeric.Aggregate(0, (r, c) => ((r * 10) + (c - '0')) % 97);
        return $"{country}{98 - remainder:D2}{bban}";
    }

    /// <summary>A valid IMO number: six digits and their check digit.</summary>
    private static string Imo(Random random)
    {
        var digits = random.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
        var sum = digits.Select((c, k) => (c - '0') * (7 - k)).Sum();
        return digits + (sum % 10).ToString(CultureInfo.InvariantCulture);
    }

    private static string Wallet(Random random) =>
        "bc1q" + string.Concat(Enumerable.Range(0, 38).Select(_ => "023456789acdefghjklmnpqrstuvwxyz"[random.Next(32)]));

    private static string Plate(string country, Random random) => country switch
    {
        "ES" => $"{random.Next(1000, 9999)} {(char)('B' + random.Next(20))}{(char)('B' + random.Next(20))}{(char)('B' + random.Next(20))}",
        "FR" => $"{(char)('A' + random.Next(26))}{(char)('A' + random.Next(26))}-{random.Next(100, 999)}-{(char)('A' + random.Next(26))}{(char)('A' + random.Next(26))}",
        _ => $"{random.Next(10000, 99999)}-{"أبدهو"[random.Next(5)]}-{random.Next(1, 89)}",
    };
}

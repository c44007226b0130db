using System.Globalization;
using System.Text;
using Gender = Jisr.Domain.Entities.Gender;
using Jisr.Fusion.Identifiers;
using Jisr.Fusion.Resolution;
using PhoneNumbers;

namespace Jisr.Fusion.Synthetic;

/// <summary>What the generator makes; every default gives the "default world" the fusion tests measure against.</summary>
public sealed record WorldOptions
{
    public int Seed { get; init; } = 2026;

    /// <summary>True persons; each appears in one to four records of different agencies.</summary>
    public int Persons { get; init; } = 1500;

    public int Cells { get; init; } = 8;

    public int MinCellSize { get; init; } = 6;

    public int MaxCellSize { get; init; } = 10;

    /// <summary>Persons outside every cell, each linked to members of a few cells and to the next broker.</summary>
    public int Brokers { get; init; } = 3;

    /// <summary>Share of records whose date of birth conflicts with the truth (day and month swapped, year off by one).</summary>
    public double ConflictingDateRate { get; init; } = 0.05;

    /// <summary>Share of written identifiers with one character wrong.</summary>
    public double IdentifierTypoRate { get; init; } = 0.05;

    /// <summary>Share of Latin names with one letter dropped or changed.</summary>
    public double NameTypoRate { get; init; } = 0.08;
}

/// <summary>A true person behind the records: the generator's ground truth.</summary>
public sealed record TruePerson(int Index, string LatinName, string ArabicName, PartialDate DateOfBirth, string Nationality, int Cell, bool IsBroker);

/// <summary>
/// A seeded, deterministic world with known truth for measuring fusion: persons written differently across records and
/// agencies (Arabic and Latin script, spelling variants, family-first order, dropped father's names, typos), partial and
/// conflicting dates of birth, identifiers in national and international formats with typos, and planted cells joined
/// only through brokers, over a sparse background of unrelated contacts.
/// </summary>
public sealed class SyntheticWorld
{
    private static readonly (string Code, string Country)[] Agencies =
    [
        ("MA-DGST", "MA"), ("MA-DGSN", "MA"), ("DZ-DGSN", "DZ"), ("TN-DGSN", "TN"), ("ES-CNP", "ES"), ("FR-DGSI", "FR"), ("BE-VSSE", "BE"), ("NL-AIVD", "NL"),
    ];

    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    private SyntheticWorld(
        WorldOptions options,
        IReadOnlyList<TruePerson> persons,
        IReadOnlyList<PersonRecord> records,
        IReadOnlyList<int> truthOfRecord,
        IReadOnlyList<EntityLink> links,
        IReadOnlyList<(int A, int B)> trueLinks)
    {
        Options = options;
        Persons = persons;
        Records = records;
        TruthOfRecord = truthOfRecord;
        Links = links;
        TrueLinks = trueLinks;
    }

    public WorldOptions Options { get; }

    public IReadOnlyList<TruePerson> Persons { get; }

    /// <summary>Every record of a person, in generation order; record <c>i</c> has id <c>r{i}</c>.</summary>
    public IReadOnlyList<PersonRecord> Records { get; }

    /// <summary>The true person (index into <see cref="Persons"/>) behind each record.</summary>
    public IReadOnlyList<int> TruthOfRecord { get; }

    /// <summary>Links between records, as agencies wrote them.</summary>
    public IReadOnlyList<EntityLink> Links { get; }

    /// <summary>Links between true persons (each written in <see cref="Links"/> between one record of either side).</summary>
    public IReadOnlyList<(int A, int B)> TrueLinks { get; }

    public static int RecordIndex(string id) => int.Parse(id.AsSpan(1), CultureInfo.InvariantCulture);

    /// <summary>Every pair of records (lower index first) that are the same true person.</summary>
    public HashSet<(int, int)> TruePairs()
    {
        var pairs = new HashSet<(int, int)>();
        foreach (var group in Enumerable.Range(0, Records.Count).GroupBy(i => TruthOfRecord[i]))
        {
            var members = group.ToArray();
            for (var i = 0; i < members.Length; i++)
            {
                for (var j = i + 1; j < members.Length; j++)
                {
                    pairs.Add((members[i], members[j]));
                }
            }
        }

        return pairs;
    }

    public static SyntheticWorld Generate(WorldOptions? options = null)
    {
        var o = options ?? new WorldOptions();
        if (o.Persons < (o.Cells * o.MaxCellSize) + o.Brokers + 2 || o.MinCellSize < 3 || o.MinCellSize > o.MaxCellSize || o.Brokers > o.Cells)
        {
            throw new ArgumentException("the world needs more persons than its cells and brokers hold, cells of at least 3, and no more brokers than cells", nameof(options));
        }

        var random = new Random(o.Seed);
        var persons = new List<TruePerson>(o.Persons);
        var facts = new List<Facts>(o.Persons);

        // Cells first, then brokers, then the background.
        var cellOf = new int[o.Persons];
        Array.Fill(cellOf, -1);
        var next = 0;
        var cells = new List<int[]>();
        for (var c = 0; c < o.Cells; c++)
        {
            var size = random.Next(o.MinCellSize, o.MaxCellSize + 1);
            cells.Add([.. Enumerable.Range(next, size)]);
            for (var i = 0; i < size; i++)
            {
                cellOf[next++] = c;
            }
        }

        var brokers = Enumerable.Range(next, o.Brokers).ToArray();
        next += o.Brokers;
        for (var p = 0; p < o.Persons; p++)
        {
            var f = Facts.Draw(random);
            facts.Add(f);
            persons.Add(new TruePerson(p, f.LatinName, f.ArabicName, f.DateOfBirth, f.Nationality, cellOf[p], brokers.Contains(p)));
        }

        var trueLinks = PlantLinks(random, o, cells, brokers, next);

        // Records: one to four per person (at least two for cell members and brokers, whom several services follow).
        var records = new List<PersonRecord>();
        var truth = new List<int>();
        var recordsOf = new List<int>[o.Persons];
        for (var p = 0; p < o.Persons; p++)
        {
            var roll = random.NextDouble();
            var count = roll < 0.4 ? 1 : roll < 0.7 ? 2 : roll < 0.9 ? 3 : 4;
            if (p < next)
            {
                count = Math.Max(count, 2);
            }

            var agencies = Agencies.OrderBy(_ => random.Next()).Take(count).ToArray();
            recordsOf[p] = [];
            foreach (var (code, country) in agencies)
            {
                recordsOf[p].Add(records.Count);
                truth.Add(p);
                records.Add(facts[p].Render(random, o, $"r{records.Count}", code, country));
            }
        }

        var links = trueLinks
            .Select(l => new EntityLink(
                $"r{recordsOf[l.A][random.Next(recordsOf[l.A].Count)]}",
                $"r{recordsOf[l.B][random.Next(recordsOf[l.B].Count)]}",
                random.Next(3) switch { 0 => "called", 1 => "associate-of", _ => "travelled-with" }))
            .ToList();

        return new SyntheticWorld(o, persons, records, truth, links, trueLinks);
    }

    private static List<(int A, int B)> PlantLinks(Random random, WorldOptions o, List<int[]> cells, int[] brokers, int firstBackground)
    {
        var links = new List<(int, int)>();
        foreach (var cell in cells)
        {
            // A ring keeps each cell connected; chords make it dense, as cells are.
            for (var i = 0; i < cell.Length; i++)
            {
                links.Add((cell[i], cell[(i + 1) % cell.Length]));
                for (var j = i + 2; j < cell.Length; j++)
                {
                    if ((i != 0 || j != cell.Length - 1) && random.NextDouble() < 0.5)
                    {
                        links.Add((cell[i], cell[j]));
                    }
                }
            }
        }

        // Brokers span overlapping windows of cells, so the planted structure is one component held by them alone.
        // Each broker serves a window of cells (8 cells, 3 brokers: 0-2, 3-5, 6-7) and knows the next broker: cells
        // reach each other only through brokers, as cut-outs keep them.
        for (var b = 0; b < brokers.Length; b++)
        {
            var first = b * o.Cells / o.Brokers;
            var last = ((b + 1) * o.Cells / o.Brokers) - 1;
            for (var c = first; c <= last; c++)
            {
                foreach (var member in cells[c].OrderBy(_ => random.Next()).Take(2))
                {
                    links.Add((brokers[b], member));
                }
            }

            if (b > 0)
            {
                links.Add((brokers[b - 1], brokers[b]));
            }
        }

        // Background: sparse unrelated contacts; a cell member may know one outsider, whom no other cell knows.
        var background = o.Persons - firstBackground;
        for (var p = firstBackground; p < o.Persons; p++)
        {
            if (random.NextDouble() < 0.5)
            {
                var q = firstBackground + random.Next(background);
                if (q != p)
                {
                    links.Add((p, q));
                }
            }
        }

        var taken = new HashSet<int>();
        foreach (var member in cells.SelectMany(c => c))
        {
            if (random.NextDouble() < 0.15)
            {
                var q = firstBackground + random.Next(background);
                if (taken.Add(q))
                {
                    links.Add((member, q));
                }
            }
        }

        return links;
    }

    /// <summary>What is true of one person, and how a record renders it.</summary>
    private sealed class Facts
    {
        private bool _female;
        private NameTable.Name _given = null!;
        private NameTable.Name _father = null!;
        private NameTable.Name _family = null!;

        public string LatinName => $"{_given.Latin[0]} {_family.Latin[0]}";

        public string ArabicName => $"{_given.Arabic} {_father.Arabic} {_family.Arabic}";

        public PartialDate DateOfBirth { get; private set; } = null!;

        public string Nationality { get; private set; } = null!;

        private PhoneNumber _phone = null!;
        private string _passport = null!;
        private string? _email;
        private string? _iban;

        public static Facts Draw(Random random)
        {
            var female = random.NextDouble() < 0.3;
            var givens = female ? NameTable.FemaleGiven : NameTable.MaleGiven;
            var f = new Facts
            {
                _female = female,
                _given = givens[random.Next(givens.Length)],
                _father = NameTable.MaleGiven[random.Next(NameTable.MaleGiven.Length)],
                _family = NameTable.Family[random.Next(NameTable.Family.Length)],
            };
            var year = random.Next(1960, 2005);
            var month = random.Next(1, 13);
            f.DateOfBirth = PartialDate.Create(year, month, random.Next(1, DateTime.DaysInMonth(year, month) + 1));
            var roll = random.NextDouble();
            f.Nationality = roll < 0.6 ? "MA" : roll < 0.8 ? "DZ" : roll < 0.9 ? "TN" : roll < 0.95 ? "FR" : "ES";
            var mobile = f.Nationality switch
            {
                "MA" => "+2126" + Digits(random, 8),
                "DZ" => "+2135" + Digits(random, 8),
                "TN" => "+2162" + Digits(random, 7),
                "FR" => "+336" + Digits(random, 8),
                _ => "+346" + Digits(random, 8),
            };
            f._phone = Phones.Parse(mobile, "ZZ");
            f._passport = $"{(char)('A' + random.Next(26))}{(char)('A' + random.Next(26))}{Digits(random, 7)}";
            if (random.NextDouble() < 0.5)
            {
                f._email = $"{Ascii(f._given.Latin[0])}.{Ascii(f._family.Latin[0])}{random.Next(10, 100)}@{(random.Next(2) == 0 ? "gmail.com" : "menara.ma")}";
            }

            if (random.NextDouble() < 0.4 && f.Nationality is "MA" or "TN" or "FR" or "ES")
            {
                var length = f.Nationality switch { "MA" => 28, "TN" => 24, "FR" => 27, _ => 24 };
                f._iban = Iban(f.Nationality, Digits(random, length - 4));
            }

            return f;
        }

        public PersonRecord Render(Random random, WorldOptions o, string id, string agency, string country)
        {
            var names = new List<string>();
            var arabicAgency = country is "MA" or "DZ" or "TN";
            var arabic = arabicAgency && random.NextDouble() < 0.5;
            if (arabic)
            {
                names.Add(random.NextDouble() < 0.6 ? ArabicName : $"{_given.Arabic} {_family.Arabic}");
            }

            if (!arabic || random.NextDouble() < 0.3)
            {
                names.Add(LatinRendering(random, o));
            }

            var dob = RenderDate(random, o);
            var nationalities = random.NextDouble() < 0.7 ? new[] { Nationality } : [];
            var identifiers = new List<Identifier>();
            if (random.NextDouble() < 0.45)
            {
                var regionOfPhone = Phones.GetRegionCodeForNumber(_phone);
                var written = regionOfPhone == country && random.NextDouble() < 0.7
                    ? Phones.Format(_phone, PhoneNumberFormat.NATIONAL)
                    : random.NextDouble() < 0.5 ? Phones.Format(_phone, PhoneNumberFormat.INTERNATIONAL) : "00" + Phones.Format(_phone, PhoneNumberFormat.E164)[1..];
                identifiers.Add(IdentifierNormaliser.Normalise(IdentifierKind.Phone, Typo(random, o, written), country));
            }

            if (random.NextDouble() < 0.4)
            {
                var written = random.NextDouble() < 0.3 ? $"{_passport[..2].ToLowerInvariant()} {_passport[2..]}" : _passport;
                identifiers.Add(IdentifierNormaliser.Normalise(IdentifierKind.Passport, Typo(random, o, written), Nationality));
            }

            if (_email is not null && random.NextDouble() < 0.25)
            {
                var written = random.NextDouble() < 0.3 ? _email.ToUpperInvariant() : _email;
                identifiers.Add(IdentifierNormaliser.Normalise(IdentifierKind.Email, written));
            }

            if (_iban is not null && random.NextDouble() < 0.25)
            {
                var written = random.NextDouble() < 0.5 ? string.Join(' ', _iban.Chunk(4).Select(c => new string(c))) : _iban;
                identifiers.Add(IdentifierNormaliser.Normalise(IdentifierKind.Iban, Typo(random, o, written)));
            }

            var gender = random.NextDouble() < 0.7 ? (_female ? Gender.Female : Gender.Male) : Gender.Unknown;
            return new PersonRecord(id, agency, names, dob, nationalities, identifiers, gender);
        }

        private string LatinRendering(Random random, WorldOptions o)
        {
            var given = Pick(random, _given.Latin);
            var family = Pick(random, _family.Latin);
            var withFather = random.NextDouble() < 0.25;
            var father = Pick(random, _father.Latin);
            if (random.NextDouble() < o.NameTypoRate)
            {
                if (random.Next(2) == 0)
                {
                    given = NameTypo(random, given);
                }
                else
                {
                    family = NameTypo(random, family);
                }
            }

            return random.NextDouble() < 0.35
                ? $"{family.ToUpperInvariant()} {given}{(withFather ? " " + father : string.Empty)}"
                : withFather ? $"{given} {father} {family}" : $"{given} {family}";
        }

        private PartialDate? RenderDate(Random random, WorldOptions o)
        {
            var d = DateOfBirth;
            if (random.NextDouble() < o.ConflictingDateRate)
            {
                // A clerk's error: day and month swapped where both fit, else the year off by one.
                return d.Day <= 12 && d.Day != d.Month
                    ? PartialDate.Create(d.Year, d.Day, Math.Min(d.Month!.Value, DateTime.DaysInMonth(d.Year, d.Day!.Value)))
                    : PartialDate.Create(d.Year + (random.Next(2) == 0 ? -1 : 1), d.Month, d.Month == 2 && d.Day == 29 ? 28 : d.Day);
            }

            var roll = random.NextDouble();
            return roll < 0.08 ? null : roll < 0.2 ? PartialDate.Create(d.Year) : roll < 0.28 ? PartialDate.Create(d.Year, d.Month) : d;
        }

        private static string Typo(Random random, WorldOptions o, string written)
        {
            if (random.NextDouble() >= o.IdentifierTypoRate)
            {
                return written;
            }

            var digits = Enumerable.Range(0, written.Length).Where(i => char.IsAsciiDigit(written[i])).ToArray();
            if (digits.Length == 0)
            {
                return written;
            }

            var at = digits[random.Next(digits.Length)];
            var builder = new StringBuilder(written);
            builder[at] = (char)('0' + ((written[at] - '0' + 1 + random.Next(8)) % 10));
            return builder.ToString();
        }

        private static string NameTypo(Random random, string word)
        {
            if (word.Length < 5)
            {
                return word;
            }

            // The slips clerks make: a letter dropped, a doubled one, or one vowel for another.
            var at = 1 + random.Next(word.Length - 2);
            var vowels = Enumerable.Range(1, word.Length - 2).Where(i => "aeiou".Contains(word[i], StringComparison.Ordinal)).ToArray();
            return random.Next(3) switch
            {
                0 => word.Remove(at, 1),
                1 => word.Insert(at, word[at].ToString()),
                _ when vowels.Length > 0 => word[..vowels[0]] + "aeiou"[(("aeiou".IndexOf(word[vowels[0]], StringComparison.Ordinal)) + 1 + random.Next(4)) % 5] + word[(vowels[0] + 1)..],
                _ => word,
            };
        }

        private static string Pick(Random random, string[] options) => options[random.Next(options.Length)];

        private static string Ascii(string name) => new([.. name.ToLowerInvariant().Where(char.IsAsciiLetter)]);

        private static string Digits(Random random, int count) =>
            string.Create(count, random, (span, r) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = (char)('0' + r.Next(10));
                }
            });

        private static string Iban(string country, string bban)
        {
            // Check digits per ISO 13616: 98 minus the mod 97 of BBAN + country + "00".
            var rearranged = bban + string.Concat(country.Select(c => (c - 'A' + 10).ToString(CultureInfo.InvariantCulture))) + "00";
            var remainder = 0;
            foreach (var c in rearranged)
            {
                remainder = ((remainder * 10) + (c - '0')) % 97;
            }

            return $"{country}{98 - remainder:D2}{bban}";
        }
    }
}

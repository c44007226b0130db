namespace Jisr.Domain.Entities;

public enum NameScript
{
    Latin,
    Arabic,
    Mixed,
    Other,
}

public enum Gender
{
    Unknown,
    Female,
    Male,
}

/// <summary>One written form of a person's name, in the script it was given in, stored as given (NFC).</summary>
public sealed record PersonName
{
    public const int MaxLength = 300;

    private PersonName(string text, NameScript script)
    {
        Text = text;
        Script = script;
    }

    public string Text { get; }

    public NameScript Script { get; }

    public static PersonName Create(string? text, string field = "text")
    {
        var value = Guard.Text(text, field, MaxLength);
        Guard.That(value.Any(char.IsLetter), field, ValidationCodes.NameNeedsLetter, "must contain at least one letter");
        return new PersonName(value, DetectScript(value));
    }

    public static NameScript DetectScript(string text)
    {
        bool arabic = false, latin = false, other = false;
        foreach (var c in text)
        {
            if (!char.IsLetter(c))
            {
                continue;
            }

            if (c is >= '\u0600' and <= '\u06FF' or >= '\u0750' and <= '\u077F' or >= '\uFB50' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFF')
            {
                arabic = true;
            }
            else if (c <= '\u024F' || c is >= '\u1E00' and <= '\u1EFF')
            {
                latin = true;
            }
            else
            {
                other = true;
            }
        }

        return (arabic, latin, other) switch
        {
            (true, false, false) => NameScript.Arabic,
            (false, true, false) => NameScript.Latin,
            (false, false, _) => NameScript.Other,
            _ => NameScript.Mixed,
        };
    }
}

/// <summary>An identifier a person holds: passport, national ID, tax number...</summary>
public sealed record PersonIdentifier
{
    private PersonIdentifier(string kind, string value, string? country)
    {
        Kind = kind;
        Value = value;
        Country = country;
    }

    public string Kind { get; }

    public string Value { get; }

    public string? Country { get; }

    public static PersonIdentifier Create(string? kind, string? value, string? country, string field = "identifier")
    {
        var k = Guard.Text(kind, $"{field}.kind", 50).ToLowerInvariant();
        var v = Guard.Text(value, $"{field}.value", 100);
        var c = country is null ? null : CountryCode.Parse(country, $"{field}.country");
        return new PersonIdentifier(k, v, c);
    }
}

/// <summary>A person: names in several scripts, a partial date of birth, nationalities, identifiers.</summary>
public sealed class Person : Entity
{
    /// <summary>Longest name accepted as a search query.</summary>
    public const int MaxNameQueryLength = PersonName.MaxLength;

    private IReadOnlyList<PersonName> _names = [];
    private IReadOnlyList<string> _nationalities = [];
    private IReadOnlyList<PersonIdentifier> _identifiers = [];

    private Person()
    {
    }

    private Person(AgencyId agencyId, DateTimeOffset now)
        : base(agencyId, now)
    {
    }

    public override EntityType Type => EntityType.Person;

    public IReadOnlyList<PersonName> Names => _names;

    public PartialDate? DateOfBirth { get; private set; }

    public string? PlaceOfBirth { get; private set; }

    public Gender Gender { get; private set; }

    public IReadOnlyList<string> Nationalities => _nationalities;

    public IReadOnlyList<PersonIdentifier> Identifiers => _identifiers;

    /// <summary>Creates a person; at least one name is required and a date of birth cannot lie in the future.</summary>
    public static Person Create(
        AgencyId agencyId,
        IReadOnlyList<PersonName> names,
        PartialDate? dateOfBirth,
        string? placeOfBirth,
        Gender gender,
        IReadOnlyList<string> nationalities,
        IReadOnlyList<PersonIdentifier> identifiers,
        DateTimeOffset now)
    {
        Guard.That(names.Count > 0, "names", ValidationCodes.PersonNeedsName, "a person needs at least one name");
        Guard.That(names.Count <= 50, "names", ValidationCodes.TooMany, "at most 50 names", 50);
        Guard.That(nationalities.Count <= 10, "nationalities", ValidationCodes.TooMany, "at most 10 nationalities", 10);
        Guard.That(identifiers.Count <= 50, "identifiers", ValidationCodes.TooMany, "at most 50 identifiers", 50);
        if (dateOfBirth is { } dob)
        {
            Guard.That(dob.Earliest <= DateOnly.FromDateTime(now.UtcDateTime), "dateOfBirth", ValidationCodes.InFuture, "cannot be in the future");
        }

        var person = new Person(agencyId, now)
        {
            DateOfBirth = dateOfBirth,
            PlaceOfBirth = Guard.OptionalText(placeOfBirth, "placeOfBirth", 200),
            Gender = gender,
            Label = names[0].Text,
        };
        person._names = [.. names.Distinct()];
        person._nationalities = [.. nationalities.Select((n, i) => CountryCode.Parse(n, $"nationalities[{i}]")).Distinct()];
        person._identifiers = [.. identifiers.Distinct()];
        return person;
    }
}

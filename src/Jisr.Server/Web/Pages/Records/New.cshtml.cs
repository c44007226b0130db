using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Memory;

namespace Jisr.Server.Web.Pages.Records;

/// <summary>
/// A new record, optionally with one person it is about, created by <see cref="RecordService.CreateOnceAsync"/> (the
/// policy decides, the store audits). Each form carries a one-time key, from which the record's id is derived
/// (<see cref="FormKeys"/>): submitting the same form twice (a double click, a reload after a slow answer, a retry
/// after a restart or through another node) creates one record and shows it. Submissions of one form that arrive at
/// the same moment on this node also wait for the first one here, instead of meeting in the database.
/// </summary>
public sealed class NewModel(RecordService records, IMemoryCache submissions, TimeProvider time, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    public const int MaxNames = 20;

    private static readonly Lock SubmissionGate = new();

    [BindProperty]
    public RecordForm Form { get; set; } = new();

    public IActionResult OnGet()
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        Form = new RecordForm
        {
            SubmissionKey = Guid.NewGuid(),
            ReviewDate = today.AddYears(1),
            RetentionUntil = today.AddYears(5),
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var caller = Caller;
        var request = Form.ToRequest();

        // A form without its key (hand-made) still creates its record, once per submission.
        var formKey = Form.SubmissionKey == Guid.Empty ? Guid.NewGuid() : Form.SubmissionKey;
        var id = FormKeys.RecordIdFor(caller.UserId, formKey);

        // The first submission of this form creates the record; any later one (even while the first is still running) waits for it and gets the same record.
        var key = $"jisr.web.new-record:{id}";
        // GetOrCreate may run its factory twice for two requests at the same moment: the lock makes one of them win.
        Lazy<Task<Outcome<RecordDetails>>> once;
        lock (SubmissionGate)
        {
            once = submissions.GetOrCreate(key, entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromHours(1);
                return new Lazy<Task<Outcome<RecordDetails>>>(() => records.CreateOnceAsync(caller, request, id, CancellationToken.None));
            })!;
        }

        Outcome<RecordDetails> outcome;
        try
        {
            outcome = await once.Value;
        }
        catch (DomainValidationException error)
        {
            // Refused input is not a submission: the corrected form may be sent with the same key.
            submissions.Remove(key);
            AddValidationError(error, Form.FieldOfNew);
            return Page();
        }

        if (outcome.Refusal is { } refusal)
        {
            submissions.Remove(key);
            return Refused(refusal);
        }

        return LocalRedirect($"/records/{outcome.Value!.Record.Id.Value}");
    }
}

/// <summary>The new-record form; its field names are the form's, <see cref="FieldOf"/> maps the service's to them.</summary>
public sealed class RecordForm
{
    public Guid SubmissionKey { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(Record.MaxTitleLength, ErrorMessage = "Validation.TooLong")]
    public string? Title { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    [TextLimit(Record.MaxBodyLength)]
    public string? Body { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    public string Language { get; set; } = "ar";

    [Required(ErrorMessage = "Validation.Required")]
    public string Kind { get; set; } = "intelligence-report";

    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(1000, ErrorMessage = "Validation.TooLong")]
    public string? LegalBasis { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(1000, ErrorMessage = "Validation.TooLong")]
    public string? Purpose { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    public DateOnly? ReviewDate { get; set; }

    [Required(ErrorMessage = "Validation.Required")]
    public DateOnly? RetentionUntil { get; set; }

    public string Classification { get; set; } = "RESTRICTED";

    public string Tlp { get; set; } = "AMBER";

    public string Handling { get; set; } = "H0";

    [StringLength(Marking.MaxHandlingNoteLength, ErrorMessage = "Validation.TooLong")]
    public string? HandlingNote { get; set; }

    /// <summary>For a TLP:RED record, the users of the agency who may read it besides the author: one user name a line.</summary>
    [StringLength(4000, ErrorMessage = "Validation.TooLong")]
    public string? Recipients { get; set; }

    public string Reliability { get; set; } = "B";

    public string Credibility { get; set; } = "2";

    public List<string> ThreatDomains { get; set; } = [];

    /// <summary>The person the record is about: one name a line, in any script.</summary>
    [StringLength(4000, ErrorMessage = "Validation.TooLong")]
    public string? PersonNames { get; set; }

    [StringLength(10, ErrorMessage = "Validation.TooLong")]
    public string? PersonDateOfBirth { get; set; }

    [StringLength(2, ErrorMessage = "Validation.TooLong")]
    public string? PersonNationality { get; set; }

    /// <summary>The kind of the person's identifier (<see cref="IdentifierKinds"/>), a passport unless chosen.</summary>
    public string PersonIdentifierKind { get; set; } = "passport";

    [StringLength(100, ErrorMessage = "Validation.TooLong")]
    public string? PersonPassport { get; set; }

    /// <summary>The identifier kinds the form offers (each translated as <c>IdentifierKind.*</c>); the API takes any kind.</summary>
    public static readonly IReadOnlyList<string> IdentifierKinds = ["passport", "national-id", "id-card", "residence-permit", "driving-licence", "visa", "tax-number", "other"];

    /// <summary>The entity types the form offers beside the person, each named by one value (the API takes more).</summary>
    public static readonly IReadOnlyList<string> OtherTypes = ["organisation", "location", "vehicle", "vessel", "phone", "email", "bank-account", "crypto-wallet", "online-account"];

    /// <summary>Up to three other entities the record asserts, each optionally linked to the person.</summary>
    public List<OtherEntityForm> Others { get; set; } = [new(), new(), new()];

    public RecordRequest ToRequest()
    {
        var names = (PersonNames ?? string.Empty).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length > NewModel.MaxNames)
        {
            throw DomainValidationException.Coded("entities[0].names", ValidationCodes.TooMany, $"at most {NewModel.MaxNames} names", NewModel.MaxNames);
        }

        var others = OtherEntities(withPerson: names.Length > 0);

        return new RecordRequest
        {
            Kind = Kind,
            Title = Title,
            // Browsers send a textarea's line breaks as CR LF: the record keeps the line breaks the person typed.
            Body = Body?.ReplaceLineEndings("\n"),
            Language = Language,
            LegalBasis = LegalBasis,
            Purpose = Purpose,
            ReviewDate = ReviewDate,
            RetentionUntil = RetentionUntil is { } until ? new DateTimeOffset(until.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null,
            Marking = new MarkingDto(Classification, Tlp, Handling, string.IsNullOrWhiteSpace(HandlingNote) ? null : HandlingNote),
            SourceGrading = Reliability + Credibility,
            ThreatDomains = ThreatDomains,
            Recipients = Lines(Recipients) is { Length: > 0 } recipients ? recipients : null,
            Entities = [.. Person(names), .. others.Select(o => o.Entity)],
            Links = [.. others.Where(o => o.Link is not null).Select(o => new LinkRequest("person", o.Entity.Ref, o.Link))],
        };
    }

    private IEnumerable<EntityRequest> Person(string[] names)
    {
        if (names.Length == 0)
        {
            yield break;
        }

        yield return new EntityRequest
        {
            Ref = "person",
            Type = "person",
            Names = names,
            DateOfBirth = string.IsNullOrWhiteSpace(PersonDateOfBirth) ? null : PersonDateOfBirth.Trim(),
            Nationalities = string.IsNullOrWhiteSpace(PersonNationality) ? null : [PersonNationality.Trim().ToUpperInvariant()],
            Identifiers = string.IsNullOrWhiteSpace(PersonPassport) ? null : [new IdentifierDto(
                IdentifierKinds.Contains(PersonIdentifierKind) ? PersonIdentifierKind : "other",
                PersonPassport.Trim(),
                string.IsNullOrWhiteSpace(PersonNationality) ? null : PersonNationality.Trim().ToUpperInvariant())],
        };
    }

    /// <summary>The other entities' rows that hold a value, as the API takes them (a link needs the person).</summary>
    private List<(EntityRequest Entity, string? Link)> OtherEntities(bool withPerson) =>
        [.. (Others ?? []).Select((o, i) => (Row: o, Index: i))
            .Where(r => !string.IsNullOrWhiteSpace(r.Row.Value))
            .Select(r => (r.Row.ToRequest($"other{r.Index + 1}"), withPerson && !string.IsNullOrEmpty(r.Row.Link) ? r.Row.Link : null))];

    private static string[] Lines(string? text) => (text ?? string.Empty).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A record's present content in the form (marking, grading and dates as the form writes them).</summary>
    public static RecordForm From(Record record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new RecordForm
        {
            SubmissionKey = Guid.NewGuid(),
            Title = record.Title,
            Body = record.Body,
            Language = record.Language,
            Kind = RecordVocabulary.Kinds[record.Kind],
            LegalBasis = record.LegalBasis,
            Purpose = record.Purpose,
            ReviewDate = record.ReviewDate,
            RetentionUntil = DateOnly.FromDateTime(record.RetentionUntil.UtcDateTime),
            Classification = Marking.ClassificationNames[record.Marking.Classification],
            Tlp = Marking.TlpNames[record.Marking.Tlp],
            Handling = Marking.HandlingNames[record.Marking.Handling],
            HandlingNote = record.Marking.HandlingNote,
            Reliability = record.SourceGrading.Reliability.ToString(),
            Credibility = record.SourceGrading.Credibility.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ThreatDomains = [.. record.ThreatDomains.Select(d => RecordVocabulary.ThreatDomains[d])],
        };
    }

    /// <summary>
    /// The form field a service's validation error belongs beside, on the new-record form: the request's entities are
    /// the person (when named) and then the other rows that hold a value, in the order <see cref="ToRequest"/> builds them.
    /// </summary>
    public string FieldOfNew(string field)
    {
        var match = System.Text.RegularExpressions.Regex.Match(field, @"^entities\[(\d+)\](?:\.(.*))?$");
        if (!match.Success)
        {
            return FieldOf(field);
        }

        var index = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var attribute = match.Groups[2].Value;
        var withPerson = Lines(PersonNames).Length > 0;
        if (withPerson && index == 0)
        {
            return attribute.StartsWith("identifiers", StringComparison.Ordinal) ? "Form.PersonPassport" : FieldOf(field);
        }

        var rows = (Others ?? []).Select((o, i) => (Row: o, Index: i)).Where(r => !string.IsNullOrWhiteSpace(r.Row.Value)).ToList();
        var row = index - (withPerson ? 1 : 0);
        return row >= 0 && row < rows.Count ? $"Form.Others[{rows[row].Index}].{OtherEntityForm.FieldOf(attribute)}" : string.Empty;
    }

    /// <summary>The form field a service's validation error belongs beside.</summary>
    public static string FieldOf(string field) => field switch
    {
        "title" => "Form.Title",
        "body" => "Form.Body",
        "language" => "Form.Language",
        "legalBasis" => "Form.LegalBasis",
        "purpose" => "Form.Purpose",
        "reviewDate" => "Form.ReviewDate",
        "retentionUntil" => "Form.RetentionUntil",
        "sourceGrading" => "Form.Reliability",
        _ when field.StartsWith("marking", StringComparison.Ordinal) => "Form.Classification",
        _ when field.StartsWith("threatDomains", StringComparison.Ordinal) => "Form.ThreatDomains",
        _ when field.StartsWith("recipients", StringComparison.Ordinal) => "Form.Recipients",
        _ when field.EndsWith("dateOfBirth", StringComparison.Ordinal) => "Form.PersonDateOfBirth",
        _ when field.EndsWith("nationalities[0]", StringComparison.Ordinal) => "Form.PersonNationality",
        _ when field.StartsWith("entities", StringComparison.Ordinal) => "Form.PersonNames",
        _ => string.Empty,
    };
}

/// <summary>One other entity of the new-record form: its type, the one value that names it, a country, a link to the person.</summary>
public sealed class OtherEntityForm
{
    public string Type { get; set; } = "organisation";

    [StringLength(500, ErrorMessage = "Validation.TooLong")]
    public string? Value { get; set; }

    [StringLength(2, ErrorMessage = "Validation.TooLong")]
    public string? Country { get; set; }

    public string? Link { get; set; }

    /// <summary>The second value some types need: a wallet's currency, an online account's platform, a bank account's holder.</summary>
    [StringLength(200, ErrorMessage = "Validation.TooLong")]
    public string? Detail { get; set; }

    /// <summary>The types whose <see cref="Detail"/> the form asks for, and what it holds there.</summary>
    public static readonly IReadOnlyDictionary<string, string> DetailOf = new Dictionary<string, string>
    {
        ["crypto-wallet"] = "currency",
        ["online-account"] = "platform",
        ["bank-account"] = "holder",
    };

    /// <summary>The row's field an error on the entity's attribute belongs beside.</summary>
    public static string FieldOf(string attribute) => attribute is "currency" or "platform" or "holder" ? nameof(Detail) : nameof(Value);

    /// <summary>On the edit form, the record's entity the link goes from (the new-record form links to its person).</summary>
    public Guid? LinkTo { get; set; }

    /// <summary>The entity as the API takes it: the value goes to the attribute that names an entity of this type.</summary>
    public EntityRequest ToRequest(string reference)
    {
        var value = Value?.Trim();
        var country = string.IsNullOrWhiteSpace(Country) ? null : Country.Trim().ToUpperInvariant();
        var detail = string.IsNullOrWhiteSpace(Detail) ? null : Detail.Trim();
        var entity = new EntityRequest { Ref = reference, Type = Type };
        return Type switch
        {
            "phone" => entity with { Number = value },
            "email" => entity with { Address = value },
            "bank-account" => entity with { Iban = value, Holder = detail },
            "crypto-wallet" => entity with { Address = value, Currency = detail },

            // An account is named by its address when one is given, by its handle otherwise.
            "online-account" => Uri.TryCreate(value, UriKind.Absolute, out _) ? entity with { Url = value, Platform = detail } : entity with { Handle = value, Platform = detail },
            "vehicle" => entity with { Registration = value, Country = country },
            "vessel" => entity with { Name = value, Flag = country },
            _ => entity with { Name = value, Country = country },
        };
    }
}

using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Records;

/// <summary>
/// Changes a record's content through <see cref="RecordService.UpdateAsync"/>: the policy decides (the author, or an
/// editor cleared for both markings), and a change that lowers the marking is held for a legal reviewer instead.
/// The entities and links the record asserts are edited too (<see cref="RecordAssertionsForm"/>): taken out, a person
/// renamed, a link retyped or taken out, new entities added and linked. A TLP:RED record's recipients
/// are shown by user name and changed with the rest; adding one is held for a legal reviewer like a lowered marking.
/// </summary>
public sealed class EditModel(RecordService records, AccountService accounts, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    [BindProperty]
    public RecordForm Form { get; set; } = new();

    [BindProperty]
    public RecordAssertionsForm Assertions { get; set; } = new();

    public string Title { get; private set; } = string.Empty;

    /// <summary>The record's entities as the store holds them now, for their labels and types beside the rows.</summary>
    public IReadOnlyDictionary<Guid, Entity> Current { get; private set; } = new Dictionary<Guid, Entity>();

    /// <summary>The record's links as the store holds them now.</summary>
    public IReadOnlyDictionary<Guid, Link> CurrentLinks { get; private set; } = new Dictionary<Guid, Link>();

    public string EntityLabel(Guid id) => Current.TryGetValue(id, out var entity) ? entity.Label : id.ToString();

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var read = await records.ReadAsync(Caller, id, cancellationToken);
        if (read.Refusal is { } refusal)
        {
            return Refused(refusal);
        }

        Form = RecordForm.From(read.Value!.Record);
        Assertions = RecordAssertionsForm.From(read.Value);
        Show(read.Value);
        if (read.Value.Recipients.Count > 0)
        {
            // The recipients are users of the caller's agency (the policy lets no one else name them): their names from its user list.
            var names = (await accounts.ReadUsersAsync(Caller, cancellationToken)).ToDictionary(u => u.Id, u => u.UserName);
            Form.Recipients = string.Join('\n', read.Value.Recipients.Select(id => names.GetValueOrDefault(id) ?? id.ToString()));
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        var caller = Caller;
        var read = await records.ReadAsync(caller, id, cancellationToken);
        if (read.Refusal is { } refusal)
        {
            return Refused(refusal);
        }

        var details = read.Value!;
        Show(details);
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var (entities, links, fields) = Assertions.Apply(details);
        var request = Form.ToRequest() with { Entities = entities, Links = links };
        Outcome<RecordChange> outcome;
        try
        {
            outcome = await records.UpdateAsync(caller, id, request, cancellationToken);
        }
        catch (DomainValidationException error)
        {
            AddValidationError(error, field => FieldOf(field, fields));
            return Page();
        }

        if (outcome.Refusal is { } refused)
        {
            return Refused(refused);
        }

        Message = outcome.Value!.Held is not null ? T["Edit.Held"] : T["Edit.Saved"];
        return LocalRedirect($"/records/{id}");
    }

    private void Show(RecordDetails details)
    {
        Title = details.Record.Title;
        Current = details.Entities.ToDictionary(e => e.Id.Value);
        CurrentLinks = details.Record.Links.ToDictionary(l => l.Id);
    }

    /// <summary>The record's fields as on the new-record form; an entity's error beside its row, a link's in the summary.</summary>
    private static string FieldOf(string field, List<string> entityFields)
    {
        var match = System.Text.RegularExpressions.Regex.Match(field, @"^entities\[(\d+)\](?:\.(.*))?$");
        if (match.Success)
        {
            var index = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            return index < entityFields.Count ? RecordAssertionsForm.FieldOf(entityFields[index], match.Groups[2].Value) : string.Empty;
        }

        return field.StartsWith("links", StringComparison.Ordinal) ? string.Empty : RecordForm.FieldOf(field);
    }
}

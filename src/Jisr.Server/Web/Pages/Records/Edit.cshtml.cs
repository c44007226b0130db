using Microsoft.AspNetCore.Mvc;

namespace Jisr.Server.Web.Pages.Records;

/// <summary>
/// Changes a record's content through <see cref="RecordService.UpdateAsync"/>: the policy decides (the author, or an
/// editor cleared for both markings), and a change that lowers the marking is held for a legal reviewer instead.
/// The entities and links the record asserts are kept as they are (sent back by id). A TLP:RED record's recipients
/// are shown by user name and changed with the rest; adding one is held for a legal reviewer like a lowered marking.
/// </summary>
public sealed class EditModel(RecordService records, AccountService accounts, IStringLocalizer<SharedResource> texts) : JisrPageModel(texts)
{
    [BindProperty]
    public RecordForm Form { get; set; } = new();

    public string Title { get; private set; } = string.Empty;

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
        Title = read.Value.Record.Title;
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
        Title = details.Record.Title;
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var request = Form.ToRequest() with
        {
            Entities = [.. details.Entities.Select(e => new EntityRequest { Id = e.Id.Value })],
            Links = [.. details.Record.Links.Select(l => new LinkRequest(
                l.FromEntityId.Value.ToString(), l.ToEntityId.Value.ToString(), EntityVocabulary.LinkTypes[l.Type], l.ValidFrom?.ToString(), l.ValidTo?.ToString()))],
        };
        Outcome<RecordChange> outcome;
        try
        {
            outcome = await records.UpdateAsync(caller, id, request, cancellationToken);
        }
        catch (DomainValidationException error)
        {
            AddValidationError(error, RecordForm.FieldOf);
            return Page();
        }

        if (outcome.Refusal is { } refused)
        {
            return Refused(refused);
        }

        Message = outcome.Value!.Held is not null ? T["Edit.Held"] : T["Edit.Saved"];
        return LocalRedirect($"/records/{id}");
    }
}

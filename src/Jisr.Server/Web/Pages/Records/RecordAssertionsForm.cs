using System.ComponentModel.DataAnnotations;

namespace Jisr.Server.Web.Pages.Records;

/// <summary>
/// The edit form's part for what a record asserts: its entities (kept, taken out, a person renamed, another entity's
/// attributes changed in place: <see cref="EntityFields"/>), its links
/// (kept, retyped or taken out) and new entities linked to any entity of the record. <see cref="Apply"/> turns it into
/// the API's entities and links, starting from what the store holds now (never from ids the browser sends back), so
/// the same <see cref="RecordService.UpdateAsync"/>, policy and audit decide.
/// </summary>
public sealed class RecordAssertionsForm
{
    public const int AddedRows = 3;

    public List<AssertedEntityRow> Entities { get; set; } = [];

    public List<AssertedLinkRow> Links { get; set; } = [];

    public List<OtherEntityForm> Added { get; set; } = [.. Enumerable.Range(0, AddedRows).Select(_ => new OtherEntityForm())];

    /// <summary>The record's present entities and links as rows (names one a line for a person).</summary>
    public static RecordAssertionsForm From(RecordDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        return new RecordAssertionsForm
        {
            Entities = [.. details.Entities.Select(e => new AssertedEntityRow
            {
                Id = e.Id.Value,
                Names = e is Person person ? string.Join('\n', person.Names.Select(n => n.Text)) : null,
                Attributes = EntityFields.Values(e),
            })],
            Links = [.. details.Record.Links.Select(l => new AssertedLinkRow { Id = l.Id, Type = EntityVocabulary.LinkTypes[l.Type] })],
        };
    }

    /// <summary>
    /// The request's entities and links, and for each request entity the form row its errors belong in (see <see cref="FieldOf"/>). Rows
    /// whose ids are not the record's are ignored; links to an entity taken out go with it.
    /// </summary>
    public (List<EntityRequest> Entities, List<LinkRequest> Links, List<string> Fields) Apply(RecordDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        var entities = new List<EntityRequest>();
        var fields = new List<string>();
        var removed = new HashSet<Guid>();
        for (var i = 0; i < details.Entities.Count; i++)
        {
            var entity = details.Entities[i];
            var index = Entities.FindIndex(r => r.Id == entity.Id.Value);
            var row = index < 0 ? null : Entities[index];
            if (row?.Remove == true)
            {
                removed.Add(entity.Id.Value);
                continue;
            }

            fields.Add(index < 0 ? string.Empty : $"Assertions.Entities[{index}]");
            var names = Lines(row?.Names);
            entities.Add(entity is Person person && row?.Names is not null && !names.SequenceEqual(person.Names.Select(n => n.Text))
                // A person's names changed: a new person with the new names and everything else the old one had,
                // asserted in its place (its ref is the old id, so the links that named the old one follow it).
                ? Renamed(person, names)
                // Another entity's attributes changed: the same, with the form's values (EntityFields).
                : EntityFields.Changed(entity, row?.Attributes) ?? new EntityRequest { Id = entity.Id.Value });
        }

        var links = new List<LinkRequest>();
        foreach (var link in details.Record.Links)
        {
            var row = Links.Find(r => r.Id == link.Id);
            if (row?.Remove == true || removed.Contains(link.FromEntityId.Value) || removed.Contains(link.ToEntityId.Value))
            {
                continue;
            }

            links.Add(new LinkRequest(
                link.FromEntityId.Value.ToString(),
                link.ToEntityId.Value.ToString(),
                string.IsNullOrEmpty(row?.Type) ? EntityVocabulary.LinkTypes[link.Type] : row.Type,
                link.ValidFrom?.ToString(),
                link.ValidTo?.ToString()));
        }

        for (var i = 0; i < Added.Count; i++)
        {
            var row = Added[i];
            if (string.IsNullOrWhiteSpace(row.Value))
            {
                continue;
            }

            var reference = $"added{i + 1}";
            entities.Add(row.ToRequest(reference));
            fields.Add($"Assertions.Added[{i}]");
            if (row.LinkTo is { } to && !string.IsNullOrEmpty(row.Link))
            {
                links.Add(new LinkRequest(to.ToString(), reference, row.Link));
            }
        }

        return (entities, links, fields);
    }

    /// <summary>The field beside which an error on a request entity's attribute stands, given the entity's row.</summary>
    public static string FieldOf(string row, string attribute) =>
        row.Length == 0 ? string.Empty
        : row.StartsWith("Assertions.Added", StringComparison.Ordinal) ? $"{row}.{OtherEntityForm.FieldOf(attribute)}"
        : EntityFields.All.Contains(attribute) ? AttributeField(row, attribute)
        : $"{row}.{nameof(AssertedEntityRow.Names)}";

    /// <summary>The form field of an existing entity's attribute (its input's name, and the key its error is kept under).</summary>
    public static string AttributeField(string row, string attribute) => $"{row}.{nameof(AssertedEntityRow.Attributes)}[{attribute}]";

    private static EntityRequest Renamed(Person person, string[] names) => new()
    {
        Ref = person.Id.Value.ToString(),
        Type = "person",
        Names = names,
        DateOfBirth = person.DateOfBirth?.ToString(),
        PlaceOfBirth = person.PlaceOfBirth,
        Gender = person.Gender == Gender.Unknown ? null : person.Gender.ToString().ToLowerInvariant(),
        Nationalities = person.Nationalities.Count == 0 ? null : person.Nationalities,
        Identifiers = person.Identifiers.Count == 0 ? null : [.. person.Identifiers.Select(d => new IdentifierDto(d.Kind, d.Value, d.Country))],
    };

    private static string[] Lines(string? text) => (text ?? string.Empty).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>One of the record's entities in the edit form: take it out, or change its names (a person) or its attributes (another type).</summary>
public sealed class AssertedEntityRow
{
    public Guid Id { get; set; }

    public bool Remove { get; set; }

    /// <summary>A person's names, one a line; null for other types.</summary>
    [StringLength(4000, ErrorMessage = "Validation.TooLong")]
    public string? Names { get; set; }

    /// <summary>Another type's attributes by name (<see cref="EntityFields.Values"/>); null for a person.</summary>
    public Dictionary<string, string?>? Attributes { get; set; }
}

/// <summary>One of the record's links in the edit form: change its type, or take it out.</summary>
public sealed class AssertedLinkRow
{
    public Guid Id { get; set; }

    public bool Remove { get; set; }

    public string? Type { get; set; }
}

using System.Text;
using System.Text.Encodings.Web;

namespace Jisr.Server.Endpoints;

/// <summary>
/// <c>GET /api/v1/persons/{id}/subject-access</c>: for a legal reviewer answering a data-subject access request,
/// everything the agency holds on one person, as JSON or (<c>?format=html</c>) as a readable report. Carries a
/// declared purpose, kept in the audit log (see <see cref="SubjectAccessService"/>).
/// </summary>
public static class SubjectAccessEndpoints
{
    public static RouteGroupBuilder MapSubjectAccessEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/persons/{id:guid}/subject-access", ExportAsync).WithTags("Persons").WithName("SubjectAccess").RequirePurpose()
            .ReadsItem<SubjectAccessExport>("Export what the agency holds on a person", "For a legal reviewer answering a data-subject access request: the person, the records, links, releases, notices and audit entries about them. JSON, or a readable HTML report with ?format=html.")
            .ProducesMediaType("text/html", Microsoft.OpenApi.JsonSchemaType.String, "A self-contained HTML report, for ?format=html.")
            .QueryParameter("format", "'html' for a readable report; JSON otherwise.")
            .Problems(StatusCodes.Status403Forbidden);
        return api;
    }

    /// <summary>The export is the service's; the answer is a presentation of it, as JSON or as a readable HTML report.</summary>
    private static async Task<IResult> ExportAsync(
        Guid id, HttpContext context, Principal caller, SubjectAccessService service, AgencyDirectory agencies, TimeProvider time, string? format, CancellationToken cancellationToken)
    {
        var outcome = await service.ExportAsync(caller, id, Purpose.Of(context), cancellationToken);
        if (outcome.Refusal is { } refusal)
        {
            return refusal.ToProblem();
        }

        var export = await ToExportAsync(outcome.Value!, caller, agencies, time, cancellationToken);
        return string.Equals(format, "html", StringComparison.OrdinalIgnoreCase)
            ? Results.Content(Html(export), "text/html; charset=utf-8")
            : Results.Ok(export);
    }

    private static async Task<SubjectAccessExport> ToExportAsync(SubjectAccess access, Principal caller, AgencyDirectory agencies, TimeProvider time, CancellationToken cancellationToken)
    {
        var records = new List<RecordSummary>();
        foreach (var record in access.Records)
        {
            records.Add(RecordMapping.ToSummary(record, await agencies.OriginOfAsync(record, cancellationToken)));
        }

        return new SubjectAccessExport(
            time.GetUtcNow(),
            (await agencies.GetAsync(caller.AgencyId, cancellationToken)).Code,
            EntityMapping.ToResponse(access.Person),
            records,
            [.. access.Links.Select(RecordMapping.ToResponse)],
            await ReleasesAsync(access.Releases, agencies, cancellationToken),
            await NoticesAsync(access.Notices, agencies, cancellationToken),
            [.. access.AuditEntries.Select(AuditEntryResponse.From)]);
    }

    private static async Task<List<SubjectAccessRelease>> ReleasesAsync(IReadOnlyList<Domain.Sharing.Release> releases, AgencyDirectory agencies, CancellationToken cancellationToken)
    {
        var items = new List<SubjectAccessRelease>(releases.Count);
        foreach (var r in releases)
        {
            items.Add(new SubjectAccessRelease(r.Id.Value, r.RecordId.Value, (await agencies.GetAsync(r.RecipientAgencyId, cancellationToken)).Code, Domain.Sharing.Release.StatusNames[r.Status], r.RequestedAt, r.DecidedAt));
        }

        return items;
    }

    private static async Task<List<SubjectAccessNotice>> NoticesAsync(IReadOnlyList<Domain.Notices.Notice> notices, AgencyDirectory agencies, CancellationToken cancellationToken)
    {
        var items = new List<SubjectAccessNotice>(notices.Count);
        foreach (var n in notices)
        {
            items.Add(new SubjectAccessNotice(
                n.Id.Value, (await agencies.GetAsync(n.IssuerAgencyId, cancellationToken)).Code, Domain.Notices.Notice.Colors[n.Color], n.Title, n.Offence,
                Domain.Notices.Notice.Statuses[n.Status], n.CreatedAt));
        }

        return items;
    }

    /// <summary>A self-contained report; every piece of text is HTML-encoded, and each value keeps its own direction (Arabic right to left).</summary>
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    private static string Html(SubjectAccessExport export)
    {
        // Markup characters are always encoded; Arabic and accented letters stay as they are, readable in the source too.
        var e = Encoder;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Data-subject access report</title>")
            .Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px 8px;text-align:start}</style></head><body>")
            .Append("<h1>Data-subject access report</h1>")
            .Append(CultureInfo.InvariantCulture, $"<p>Agency {e.Encode(export.Agency)}, generated {e.Encode(export.GeneratedAt.ToString("u", CultureInfo.InvariantCulture))}</p>")
            .Append("<h2>Person</h2><ul>");
        foreach (var name in export.Person.Names ?? [])
        {
            html.Append(CultureInfo.InvariantCulture, $"<li dir=\"auto\">{e.Encode(name.Text)}</li>");
        }

        html.Append(CultureInfo.InvariantCulture, $"</ul><p>Date of birth: {e.Encode(export.Person.DateOfBirth ?? "unknown")}; nationalities: {e.Encode(string.Join(", ", export.Person.Nationalities ?? []))}</p>");
        html.Append(CultureInfo.InvariantCulture, $"<h2>Records ({export.Records.Count})</h2><table><tr><th>Created</th><th>Title</th><th>Originator</th><th>Marking</th><th>Review</th></tr>");
        foreach (var r in export.Records)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{e.Encode(r.CreatedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))}</td><td dir=\"auto\" lang=\"{e.Encode(r.Language)}\">{e.Encode(r.Title)}</td><td>{e.Encode(r.Originator.Code)}</td><td>{e.Encode($"{r.Marking.Classification} TLP:{r.Marking.Tlp} {r.Marking.Handling}")}{(r.Marking.NotForJudicialUseWithoutConsent ? " <strong>not for judicial use without the originator's consent</strong>" : "")}</td><td>{e.Encode(r.ReviewDate.ToString("O", CultureInfo.InvariantCulture))}</td></tr>");
        }

        html.Append(CultureInfo.InvariantCulture, $"</table><h2>Links ({export.Links.Count})</h2><ul>");
        foreach (var l in export.Links)
        {
            html.Append(CultureInfo.InvariantCulture, $"<li>{e.Encode(l.Type)}: {e.Encode(l.From.ToString())} → {e.Encode(l.To.ToString())}</li>");
        }

        html.Append(CultureInfo.InvariantCulture, $"</ul><h2>Releases to partners ({export.Releases.Count})</h2><table><tr><th>Requested</th><th>Record</th><th>To</th><th>Status</th></tr>");
        foreach (var r in export.Releases)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{e.Encode(r.RequestedAt.ToString("u", CultureInfo.InvariantCulture))}</td><td>{e.Encode(r.Record.ToString())}</td><td>{e.Encode(r.Recipient)}</td><td>{e.Encode(r.Status)}</td></tr>");
        }

        html.Append(CultureInfo.InvariantCulture, $"</table><h2>Notices ({export.Notices.Count})</h2><table><tr><th>Issued</th><th>Issuer</th><th>Colour</th><th>Title</th><th>Offence</th><th>Status</th></tr>");
        foreach (var n in export.Notices)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{e.Encode(n.CreatedAt.ToString("u", CultureInfo.InvariantCulture))}</td><td>{e.Encode(n.Issuer)}</td><td>{e.Encode(n.Color)}</td><td dir=\"auto\">{e.Encode(n.Title)}</td><td dir=\"auto\">{e.Encode(n.Offence)}</td><td>{e.Encode(n.Status)}</td></tr>");
        }

        html.Append(CultureInfo.InvariantCulture, $"</table><h2>Audit entries ({export.AuditEntries.Count})</h2><table><tr><th>#</th><th>At</th><th>Who</th><th>Action</th><th>Purpose</th></tr>");
        foreach (var a in export.AuditEntries)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{a.Sequence}</td><td>{e.Encode(a.At.ToString("u", CultureInfo.InvariantCulture))}</td><td>{e.Encode(a.Actor ?? "")}</td><td>{e.Encode(a.Action)}</td><td dir=\"auto\">{e.Encode(a.Purpose ?? "")}</td></tr>");
        }

        return html.Append("</table></body></html>").ToString();
    }
}

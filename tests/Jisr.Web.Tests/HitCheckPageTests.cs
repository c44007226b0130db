using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Jisr.Domain.Common;
using Jisr.Domain.Markings;
using Jisr.Domain.Sharing;
using Jisr.Domain.Users;
using Jisr.Storage.Audit;
using Jisr.Storage.HitCheck;
using Jisr.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Jisr.Web.Tests;

/// <summary>
/// The hit check and hit request pages on the web world's single node: no partner filter reaches it, so the check
/// answers no-hit here (<see cref="HitCheckFederatedPageTests"/> shows a hit between two nodes), and the request pages
/// are shown with requests received the way the federation receiver keeps them.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class HitCheckPageTests(WebWorld world)
{
    [Fact]
    public async Task A_check_in_French_asks_for_the_name_and_the_purpose_beside_them_then_answers_no_hit_and_is_audited()
    {
        var page = await world.NewPageAsync("fr-FR");
        await WebWorld.SignInAsync(page, world.Analyst);
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Contrôle de concordance" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Vérifier un nom ou un identifiant auprès des partenaires");

        await page.GetByRole(AriaRole.Button, new() { Name = "Vérifier", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#Value-error")).ToHaveTextAsync("Ce champ est obligatoire.");
        await Assertions.Expect(page.Locator("#Purpose-error")).ToHaveTextAsync("Indiquez pourquoi vous cherchez (500 caractères au plus).");
        Assert.Equal(0, await page.Locator(".hit-result").CountAsync());

        // An identifier that is not one: the service's own message, beside the field.
        await page.GetByLabel("Un identifiant").CheckAsync();
        await page.GetByLabel("Nom ou identifiant").FillAsync("téléphone");
        var purpose = "Enquête 2026/117 " + Guid.NewGuid().ToString("N")[..6];
        await page.GetByLabel("Finalité de ce contrôle").FillAsync(purpose);
        await page.GetByRole(AriaRole.Button, new() { Name = "Vérifier", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#Value-error")).Not.ToBeEmptyAsync();
        Assert.Equal(0, await page.Locator(".hit-result").CountAsync());

        await page.GetByLabel("Un nom").CheckAsync();
        await page.GetByLabel("Nom ou identifiant").FillAsync("Youssef El Idrissi");
        await page.GetByRole(AriaRole.Button, new() { Name = "Vérifier", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".hit-result")).ToHaveTextAsync("Aucune concordance");
        await Assertions.Expect(page.GetByText("0 filtres de partenaires vérifiés.")).ToBeVisibleAsync();
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer la demande" }).CountAsync());

        // The page went through the service: the check is in the audit log with its purpose, as the API's would be.
        var audit = await world.Admin.Client.GetFromJsonAsync<JsonArray>("/api/v1/audit?action=hit.check&limit=50");
        var entry = audit!.Single(e => e!["purpose"]?.GetValue<string>() == purpose);
        Assert.Equal("analyst.ma", entry!["actor"]!.GetValue<string>());
        Assert.Contains("'Youssef El Idrissi': no-hit", entry["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_check_page_in_Arabic_reads_right_to_left_with_its_messages_beside_the_fields()
    {
        var page = await world.NewPageAsync("ar-MA");
        await WebWorld.SignInAsync(page, world.Analyst);
        await page.GotoAsync("/hits");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("التحقق من اسم أو معرّف لدى الشركاء");
        await page.GetByRole(AriaRole.Button, new() { Name = "تحقق", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#Value-error")).ToHaveTextAsync("هذا الحقل مطلوب.");
        await Assertions.Expect(page.Locator("#Purpose-error")).ToHaveTextAsync("اذكر سبب البحث (500 حرف على الأكثر).");

        // Right to left for real: the field's label starts at the right of its field, not the left.
        var label = await page.Locator("label[for=Value]").BoundingBoxAsync();
        var field = await page.Locator("#Value").BoundingBoxAsync();
        Assert.True(label!.X + label.Width > field!.X + (field.Width / 2), $"the label ends at x={label.X + label.Width}, the field spans {field.X}..{field.X + field.Width}");

        await page.GetByLabel("الاسم أو المعرّف").FillAsync("يوسف الإدريسي");
        await page.GetByLabel("الغرض من هذا الفحص").FillAsync("تحقيق 2026/118");
        await page.GetByRole(AriaRole.Button, new() { Name = "تحقق", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".hit-result")).ToHaveTextAsync("لا تطابق");
        await WebWorld.ScreenshotAsync(page, "hit-check-no-hit-ar");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_owners_liaison_officer_sees_who_asked_and_why_and_refuses_with_a_reason_others_of_the_agency_do_not_see_it()
    {
        var partner = world.PartnerAnalyst.Agency;
        var liaison = await world.Node.AddUserAsync(world.Analyst.Agency, "liaison." + Guid.NewGuid().ToString("N")[..6], [Role.LiaisonOfficer], Classification.Secret, WebWorld.Password);

        // Received as the federation receiver keeps one; routine (14 days), asked 20 days ago: overdue.
        var purpose = "Filière de cannabis Radès-Tanger " + Guid.NewGuid().ToString("N")[..6];
        var id = await ReceiveAsync(purpose, DateTimeOffset.UtcNow.AddDays(-20));

        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, liaison);
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Hit requests" }).ClickAsync();
        var item = page.Locator($"article[data-id='{id}']");
        await Assertions.Expect(item.Locator("h2")).ToContainTextAsync("Received from · " + partner.Code);
        await Assertions.Expect(item.Locator(".status")).ToHaveTextAsync("open");
        await Assertions.Expect(item.Locator(".deadline")).ToContainTextAsync("overdue");
        await Assertions.Expect(item.Locator(".purpose")).ToHaveTextAsync(purpose);
        await Assertions.Expect(item.Locator(".legal-basis")).ToHaveTextAsync("Convention bilatérale 2019, art. 4");
        await Assertions.Expect(item).ToContainTextAsync("analyst.tn");

        // Refusing needs a reason: the message stands beside the reason field of that request.
        await item.GetByLabel("Refuse").CheckAsync();
        await item.GetByRole(AriaRole.Button, new() { Name = "Send the answer" }).ClickAsync();
        item = page.Locator($"article[data-id='{id}']");
        await Assertions.Expect(item.Locator($"[id='reason-{id}-error']")).ToContainTextAsync("reason");
        await Assertions.Expect(item.Locator(".status")).ToHaveTextAsync("open");

        // Releasing needs a record: the message stands beside the record field.
        await item.GetByLabel("Release a record").CheckAsync();
        await item.GetByLabel("Record to release (identifier)").FillAsync("not-a-record");
        await item.GetByRole(AriaRole.Button, new() { Name = "Send the answer" }).ClickAsync();
        item = page.Locator($"article[data-id='{id}']");
        await Assertions.Expect(item.Locator($"[id='record-{id}-error']")).ToHaveTextAsync("Give the record's identifier (as shown in its address).");

        await item.GetByLabel("Refuse").CheckAsync();
        await item.GetByLabel("Reason (kept in the audit log)").FillAsync("Aucune information communicable à ce stade");
        await item.GetByRole(AriaRole.Button, new() { Name = "Send the answer" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Request refused; the requester is told.");
        item = page.Locator($"article[data-id='{id}']");
        await Assertions.Expect(item.Locator(".status")).ToHaveTextAsync("refused");
        await Assertions.Expect(item.Locator(".answer")).ToContainTextAsync("Aucune information communicable à ce stade");
        Assert.Equal(0, await item.GetByRole(AriaRole.Button, new() { Name = "Send the answer" }).CountAsync());

        // The same service as the API: the answer is recorded there, and audited.
        var answered = await liaison.Client.GetFromJsonAsync<JsonObject>($"/api/v1/hits/requests/{id}");
        Assert.Equal("refused", answered!["status"]!.GetValue<string>());
        Assert.Equal("Aucune information communicable à ce stade", answered["reason"]!.GetValue<string>());
        var audit = await world.Admin.Client.GetFromJsonAsync<JsonArray>($"/api/v1/audit?action=hit.request.reply&target={id}");
        Assert.Single(audit!);

        // An analyst of the owner agency who did not ask does not see what partners asked it.
        var analystPage = await world.NewPageAsync();
        await WebWorld.SignInAsync(analystPage, world.Analyst);
        await analystPage.GotoAsync("/hits/requests");
        await Assertions.Expect(analystPage.Locator("h1")).ToHaveTextAsync("Hit requests");
        Assert.Equal(0, await analystPage.Locator($"article[data-id='{id}']").CountAsync());
        await analystPage.Context.CloseAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_liaison_officer_answers_with_a_record_released_through_the_release_path()
    {
        var liaison = await world.Node.AddUserAsync(world.Analyst.Agency, "liaison." + Guid.NewGuid().ToString("N")[..6], [Role.LiaisonOfficer], Classification.Secret, WebWorld.Password);
        var record = RecordRequests.Valid("Passeur identifié au port de Tanger Med", "Un passeur connu sous le nom de Youssef El Idrissi.");
        record["marking"] = new JsonObject { ["classification"] = "RESTRICTED", ["tlp"] = "AMBER", ["handling"] = "H0" };
        var created = await liaison.Client.PostAsJsonAsync("/api/v1/records", record);
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var recordId = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        var id = await ReceiveAsync("Enquête conjointe " + Guid.NewGuid().ToString("N")[..6], DateTimeOffset.UtcNow);

        var page = await world.NewPageAsync();
        await WebWorld.SignInAsync(page, liaison);
        await page.GotoAsync("/hits/requests?status=open");
        var item = page.Locator($"article[data-id='{id}']");
        await Assertions.Expect(item.Locator(".deadline")).Not.ToContainTextAsync("overdue");
        await item.GetByLabel("Release a record").CheckAsync();
        await item.GetByLabel("Record to release (identifier)").FillAsync(recordId.ToString());
        await item.GetByRole(AriaRole.Button, new() { Name = "Send the answer" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Record released to the requester.");
        await Assertions.Expect(page.Locator($"article[data-id='{id}'] .status")).ToHaveTextAsync("released");

        // The release path made the release: a release of that record to the requester, with a copy, named in the answer.
        var answered = await liaison.Client.GetFromJsonAsync<JsonObject>($"/api/v1/hits/requests/{id}");
        Assert.Equal("released", answered!["status"]!.GetValue<string>());
        var releases = await liaison.Client.GetFromJsonAsync<JsonArray>($"/api/v1/releases?record={recordId}");
        var release = Assert.Single(releases!)!;
        Assert.Equal(answered["release"]!.GetValue<Guid>(), release["id"]!.GetValue<Guid>());
        Assert.Equal(answered["copyRecord"]!.GetValue<Guid>(), release["copy"]!.GetValue<Guid>());
        await page.Context.CloseAsync();
    }

    /// <summary>A request from the partner agency to the analyst's, kept as the federation receiver keeps one it takes.</summary>
    private async Task<Guid> ReceiveAsync(string purpose, DateTimeOffset asked)
    {
        var own = world.Analyst.Agency;
        var partner = world.PartnerAnalyst.Agency;
        var agreements = await world.Admin.Client.GetFromJsonAsync<JsonArray>("/api/v1/agreements");
        var agreement = agreements!.First(a => a!["partner"]!["code"]!.GetValue<string>() == partner.Code && a["status"]!.GetValue<string>() == "in-force")!["id"]!.GetValue<Guid>();
        var id = Guid.NewGuid();
        await using var scope = world.Node.App.Services.CreateAsyncScope();
        var request = HitRequest.Received(
            id, new AgreementId(agreement), partner.Id, own.Id, new UserId(world.PartnerAnalyst.Id), "analyst.tn", "name", "Youssef El Idrissi", ["ysf + drs"],
            purpose, "Convention bilatérale 2019, art. 4", HandlingCode.H0, HitRequestUrgency.Routine, asked, DateTimeOffset.UtcNow);
        await scope.ServiceProvider.GetRequiredService<HitRequestStore>().AddAsync(
            request, [new AuditEvent(AuditActions.HitRequestReceive, ActorName: "test:peer", AgencyId: own.Id, TargetType: AuditTargets.HitRequest, TargetId: id.ToString("D"))], CancellationToken.None);
        return id;
    }
}

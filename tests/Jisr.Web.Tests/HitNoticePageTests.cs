using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Jisr.Domain.Markings;
using Jisr.Domain.Users;
using Jisr.Storage;
using Jisr.Storage.HitCheck;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Jisr.Web.Tests;

/// <summary>
/// The owner's page of what partners found on its data (<c>/hits/notices</c>): the per-partner tally and the hit
/// notices, paged, through the same service and policy decision as the API; and the refusal page, which speaks the
/// user's language and keeps the policy's English reason only as a marked secondary line.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class HitNoticePageTests(WebWorld world)
{
    [Fact]
    public async Task The_liaison_officer_sees_the_tally_per_partner_and_the_notices_a_page_at_a_time()
    {
        var own = world.Analyst.Agency;
        var partner = world.PartnerAnalyst.Agency;
        var liaison = await world.Node.AddUserAsync(own, "liaison." + Guid.NewGuid().ToString("N")[..6], [Role.LiaisonOfficer], Classification.Secret, WebWorld.Password);

        // 51 notices under an agreement of this test's own (its tally row is this test's alone), the newest counted
        // three hits (over the notice rate), kept as the federation receiver keeps them, newer than any other notice.
        var agreement = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        var notices = Enumerable.Range(0, 51).Select(i => new HitNotice
        {
            Id = Guid.NewGuid(),
            AgreementId = agreement,
            RequesterAgencyId = partner.Id.Value,
            OwnerAgencyId = own.Id.Value,
            KeysHit = 2,
            CheckedAt = now.AddMinutes(-i).AddSeconds(-1),
            ReceivedAt = now.AddMinutes(-i),
            MessageId = Guid.NewGuid(),
            Hits = i == 0 ? 3 : 1,
            LastReceivedAt = i == 0 ? now : null,
        }).ToList();
        await using (var scope = world.Node.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<JisrDbContext>();
            db.AddRange(notices);
            await db.SaveChangesAsync();
        }

        var page = await world.NewPageAsync("fr-FR");
        await WebWorld.SignInAsync(page, liaison);
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Concordances sur nos données" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Concordances sur nos données");

        // The tally: 53 hits (50 notices of one, one of three), all within the last day, no request under that agreement.
        var tally = page.Locator($"table.hit-tally tr[data-agreement='{agreement}']");
        await Assertions.Expect(tally.Locator("th")).ToContainTextAsync(partner.Code);
        await Assertions.Expect(tally.Locator(".hits")).ToHaveTextAsync("53");
        await Assertions.Expect(tally.Locator(".hits-last-day")).ToHaveTextAsync("53");
        await Assertions.Expect(tally.Locator(".requests")).ToHaveTextAsync("0");

        // The first page: the 50 newest, the newest with its counted hits; the 51st on the next page.
        await Assertions.Expect(page.Locator("table.hit-notices tbody tr")).ToHaveCountAsync(50);
        var newest = page.Locator($"table.hit-notices tr[data-id='{notices[0].Id}']");
        await Assertions.Expect(newest.Locator(".hits")).ToContainTextAsync("3 concordances, la dernière le");
        await Assertions.Expect(newest.Locator(".keys-hit")).ToHaveTextAsync("2");
        Assert.Equal(0, await page.Locator($"tr[data-id='{notices[50].Id}']").CountAsync());

        // Both tables with their headers, in French: no serious accessibility violation.
        var axe = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        Assert.Empty(axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help}: {string.Join("; ", v.Nodes.Take(3).Select(n => n.Html))}"));
        await WebWorld.ScreenshotAsync(page, "hit-notices-fr");
        await page.GetByRole(AriaRole.Link, new() { Name = "Page suivante" }).ClickAsync();
        await Assertions.Expect(page.Locator($"tr[data-id='{notices[50].Id}']")).ToHaveCountAsync(1);
        Assert.Equal(0, await page.Locator($"tr[data-id='{notices[0].Id}']").CountAsync());

        // The same service as the API: the two reads of the notice list are audited as the liaison officer's.
        var audit = await world.Admin.Client.GetFromJsonAsync<JsonArray>("/api/v1/audit?action=hit.notice.list&limit=50");
        Assert.Equal(2, audit!.Count(e => e!["actor"]?.GetValue<string>() == liaison.UserName));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_analyst_refused_the_page_reads_why_in_Arabic_with_the_policys_English_reason_only_beneath()
    {
        var page = await world.NewPageAsync("ar-MA");
        await WebWorld.SignInAsync(page, world.Analyst);
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "التطابقات على بياناتنا" }).CountAsync());

        var refused = await page.GotoAsync("/hits/notices");
        Assert.Equal(403, refused!.Status);
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("غير مسموح");
        await Assertions.Expect(page.Locator(".refusal-explanation")).ToHaveTextAsync("دورك أو مستوى تصريحك الأمني لا يسمح بهذا. إن كنت بحاجة إليه، فاتصل بمسؤول الإدارة أو المراجع القانوني في جهتك.");

        // The English reason is a secondary line, labelled in Arabic and marked as English, left to right.
        var reason = page.Locator(".refusal-detail");
        await Assertions.Expect(reason).ToContainTextAsync("سبب الرفض حسب السياسة (بالإنجليزية):");
        var english = reason.Locator("span[lang='en']");
        await Assertions.Expect(english).ToHaveTextAsync("only liaison officers, legal reviewers and administrators see who had hits on their agency's data");
        await Assertions.Expect(english).ToHaveAttributeAsync("dir", "ltr");
        Assert.DoesNotContain("only liaison officers", await page.Locator(".refusal-explanation").InnerTextAsync(), StringComparison.Ordinal);
        await WebWorld.ScreenshotAsync(page, "refused-ar");
        await page.Context.CloseAsync();
    }
}

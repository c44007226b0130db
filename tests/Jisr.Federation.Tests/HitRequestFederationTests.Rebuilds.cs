using Jisr.Domain.Common;
using Jisr.Server.HitCheck;
using Jisr.Storage.Audit;
using Jisr.Storage.HitCheck;
using Jisr.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Jisr.Federation.Tests;

/// <summary>
/// Rebuilds follow what a change touched: a record ES-CNP adds outside the agreement's threat domains or above its
/// highest classification neither rebuilds nor resends the agreement's filter; one inside rebuilds it, sends it, and
/// its name hits on MA-DGST.
/// </summary>
public abstract partial class HitRequestFederationTestsBase
{
    [Fact]
    public async Task AChangeOutsideTheAgreement_NeitherRebuildsNorResendsItsFilter_OneInsideDoes()
    {
        await HoldAsync("RESTRICTED", "Youssef El Idrissi");
        await PublishAndWaitAsync();
        var builds = _spain.Node.App.Services.GetRequiredService<HitFilterBuilds>();
        var agreement = new AgreementId(_agreement);
        await RoundCoversChangesAsync(builds);
        var built = builds.BuildsOf(agreement);
        var sent = await FiltersSentAsync();
        Assert.True(built >= 1, "the node's own round built the filter once at least");

        // Outside: another threat domain; a classification above the agreement's highest (CONFIDENTIAL).
        await HoldAsync("RESTRICTED", "Karim Benali Tazi", "cybercrime");
        await HoldAsync("SECRET", "Hamid Ouazzani");
        await RoundCoversChangesAsync(builds);
        Assert.Equal(built, builds.BuildsOf(agreement));
        Assert.Equal(sent, await FiltersSentAsync());
        Assert.Equal("no-hit", await ResultAsync("Karim Benali Tazi"));
        Assert.Equal("no-hit", await ResultAsync("Hamid Ouazzani"));

        // Inside: rebuilt and sent, without a publish call.
        await HoldAsync("RESTRICTED", "Rachid Bennani Smires", "organised-crime");
        await HitsAsync("Rachid Bennani Smires", "hit", "a record added inside the agreement hits on MA-DGST");
        Assert.True(builds.BuildsOf(agreement) > built, "the change inside rebuilt the agreement's filter");
        Assert.True(await FiltersSentAsync() > sent, "and sent it");
    }

    /// <summary>Waits until ES-CNP's filter loop has finished a round that saw every change committed so far.</summary>
    private async Task RoundCoversChangesAsync(HitFilterBuilds builds)
    {
        using var scope = _spain.Node.App.Services.CreateScope();
        var (version, _) = scope.ServiceProvider.GetRequiredService<HitFilterStore>().ChangesSince(-1);
        await Eventually.HoldsAsync(() => Task.FromResult(builds.ChangesSeen >= version), "ES-CNP's filter loop covers the changes", seconds: 60);
    }

    private async Task<int> FiltersSentAsync()
    {
        await using var spainDb = _spain.Node.Database.Open();
        return await spainDb.AuditLog.CountAsync(e => e.Action == AuditActions.HitFilterPublish && e.TargetId == _agreement.ToString());
    }
}

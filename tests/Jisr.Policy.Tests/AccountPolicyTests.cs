using Jisr.Domain.Common;
using Jisr.Domain.Markings;
using Jisr.Domain.Users;

namespace Jisr.Policy.Tests;

/// <summary>What an administrator may grant, and which grants wait for a second administrator.</summary>
public sealed class AccountPolicyTests
{
    private static readonly AgencyId Agency = new(Guid.CreateVersion7());

    [Theory]
    [InlineData("analyst", "field-officer", false)]
    [InlineData("analyst", "analyst,legal-reviewer", false)]
    [InlineData("analyst", "administrator", true)]
    [InlineData("legal-reviewer", "legal-reviewer,administrator", true)]
    [InlineData("administrator", "administrator,legal-reviewer", true)]
    [InlineData("administrator", "administrator,analyst", false)]
    [InlineData("administrator,legal-reviewer", "administrator,legal-reviewer,analyst", false)]
    [InlineData("administrator", "node-administrator", true)]
    [InlineData("administrator", "analyst", false)]
    [InlineData("", "administrator", true)]
    public void GrantNeedsSecondAdministrator_ForAdministratorRights_AndForBothSidesOfAFourEyesPair(string before, string after, bool needs) =>
        Assert.Equal(needs, AccessPolicy.GrantNeedsSecondAdministrator(Parse(before), Parse(after)));

    [Fact]
    public void AGrant_IsDecidedByAnotherAdministrator_NotTheRequester_NotTheReceiver_NotAnotherAgency()
    {
        var requester = Admin(Classification.Secret);
        var receiver = new UserId(Guid.CreateVersion7());
        var grant = AccessGrant.Request(Agency, receiver, [Role.Analyst], Classification.Confidential, [Role.Administrator], Classification.Confidential, requester.UserId, DateTimeOffset.UtcNow);

        Assert.True(AccessPolicy.CanDecideGrant(Admin(Classification.Secret), grant).IsAllowed);
        Assert.Equal(PolicyOutcome.Denied, AccessPolicy.CanDecideGrant(requester, grant).Outcome);
        Assert.Equal(PolicyOutcome.Denied, AccessPolicy.CanDecideGrant(requester with { UserId = receiver }, grant).Outcome);
        Assert.Equal(PolicyOutcome.NotVisible, AccessPolicy.CanDecideGrant(Admin(Classification.Secret) with { AgencyId = new AgencyId(Guid.CreateVersion7()) }, grant).Outcome);
        Assert.Equal(PolicyOutcome.Denied, AccessPolicy.CanDecideGrant(Admin(Classification.Restricted), grant).Outcome);
        Assert.Equal(PolicyOutcome.Denied, AccessPolicy.CanDecideGrant(Admin(Classification.Secret) with { Roles = new HashSet<Role> { Role.LegalReviewer } }, grant).Outcome);
    }

    [Fact]
    public void AnAdministrator_ChangesOtherAccountsOnly_AndOnlyANodeAdministratorGrantsOrActsAsOne()
    {
        var admin = Admin(Classification.Secret);

        Assert.Equal(PolicyOutcome.Denied, AccessPolicy.CanChangeAccount(admin, Agency, admin.UserId).Outcome);
        Assert.True(AccessPolicy.CanChangeAccount(admin, Agency, new UserId(Guid.CreateVersion7())).IsAllowed);
        Assert.Equal(PolicyOutcome.Denied, AccessPolicy.CanManageUser(admin, Agency, [Role.NodeAdministrator], Classification.Secret).Outcome);
        Assert.Equal(PolicyOutcome.Denied, AccessPolicy.CanManageAgencies(admin).Outcome);
        Assert.True(AccessPolicy.CanManageAgencies(admin with { Roles = new HashSet<Role> { Role.NodeAdministrator } }).IsAllowed);
    }

    private static Principal Admin(Classification clearance) =>
        new(new UserId(Guid.CreateVersion7()), "admin", Agency, "AG", new HashSet<Role> { Role.Administrator }, clearance);

    private static List<Role> Parse(string roles) =>
        [.. roles.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => Roles.Names.Parse(r, "roles"))];
}

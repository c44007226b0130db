using System.Security.Claims;
using Jisr.Domain.Common;
using Jisr.Domain.Markings;
using Jisr.Domain.Users;
using Jisr.Policy;
using Jisr.Server.Auth;

namespace Jisr.Server.Tests;

/// <summary>A session's claims turn back into exactly the principal they were made from; a clearance or role Jisr does not know is refused.</summary>
public sealed class ClaimsMappingTests
{
    private const string ClearanceClaim = "jisr:clearance";

    private static readonly Principal Analyst = new(new UserId(Guid.NewGuid()), "analyst", new AgencyId(Guid.NewGuid()), "MA-POL", new HashSet<Role> { Role.Analyst }, Classification.Confidential);

    [Fact]
    public void Claims_RoundTripThePrincipal()
    {
        var back = ClaimsMapping.FromClaims(ClaimsMapping.ToClaims(Analyst, "test"));

        Assert.Equal((Analyst.UserId, Analyst.AgencyId, Analyst.Clearance), (back.UserId, back.AgencyId, back.Clearance));
        Assert.Equal(Analyst.Roles, back.Roles);
    }

    [Theory]
    [InlineData("9")]
    [InlineData("-1")]
    [InlineData("SECRET")]
    public void Claims_WithAClearanceNoLevelHas_AreRefused(string clearance)
    {
        var user = ClaimsMapping.ToClaims(Analyst, "test");
        var identity = (ClaimsIdentity)user.Identity!;
        identity.RemoveClaim(identity.FindFirst(ClearanceClaim));
        identity.AddClaim(new Claim(ClearanceClaim, clearance));

        var error = Assert.Throws<DomainValidationException>(() => ClaimsMapping.FromClaims(user));

        Assert.Equal("clearance", error.Field);
    }

    [Fact]
    public void Claims_WithARoleJisrDoesNotKnow_AreRefused()
    {
        var user = ClaimsMapping.ToClaims(Analyst, "test");
        ((ClaimsIdentity)user.Identity!).AddClaim(new Claim(ClaimTypes.Role, "superuser"));

        var error = Assert.Throws<DomainValidationException>(() => ClaimsMapping.FromClaims(user));

        Assert.Equal("roles", error.Field);
    }
}

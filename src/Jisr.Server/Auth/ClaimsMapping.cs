using System.Security.Claims;

namespace Jisr.Server.Auth;

/// <summary>Turns a policy <see cref="Principal"/> into claims and back; the only code that reads Jisr's claims.</summary>
public static class ClaimsMapping
{
    private const string AgencyIdClaim = "jisr:agency";
    private const string AgencyCodeClaim = "jisr:agency_code";
    private const string ClearanceClaim = "jisr:clearance";
    private const string SessionStampClaim = "jisr:session";

    /// <summary>The claims of a principal; a session (cookie) also carries its account's session stamp.</summary>
    public static ClaimsPrincipal ToClaims(Principal principal, string authenticationType, string? sessionStamp = null)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, principal.UserId.ToString()),
            new(ClaimTypes.Name, principal.UserName),
            new(AgencyIdClaim, principal.AgencyId.ToString()),
            new(AgencyCodeClaim, principal.AgencyCode),
            new(ClearanceClaim, ((int)principal.Clearance).ToString(CultureInfo.InvariantCulture)),
        };
        claims.AddRange(principal.Roles.Select(r => new Claim(ClaimTypes.Role, Roles.Names[r])));
        if (sessionStamp is not null)
        {
            claims.Add(new Claim(SessionStampClaim, sessionStamp));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType));
    }

    /// <summary>
    /// The account and session stamp a session cookie names, or null when it names none (an older or damaged cookie:
    /// refused). Only these two are read: everything else the session stands for is read afresh from the database.
    /// </summary>
    public static (UserId User, string Stamp)? SessionOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirst(SessionStampClaim)?.Value is { } stamp && TypedId.TryParse<UserId>(user.FindFirst(ClaimTypes.NameIdentifier)?.Value, out var id)
            ? (id, stamp)
            : null;
    }

    /// <summary>The principal of an authenticated request; throws when the claims are not Jisr's (a wiring bug, never user input).</summary>
    public static Principal FromClaims(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            throw new InvalidOperationException("no authenticated user: the endpoint is missing RequireAuthorization()");
        }

        var roles = user.FindAll(ClaimTypes.Role).Select(c => Roles.Names.Parse(c.Value, "roles")).ToHashSet();
        return new Principal(
            TypedId.Parse<UserId>(Required(user, ClaimTypes.NameIdentifier)),
            Required(user, ClaimTypes.Name),
            TypedId.Parse<AgencyId>(Required(user, AgencyIdClaim)),
            Required(user, AgencyCodeClaim),
            roles,
            EnumNumbers.Parse<Classification>(Required(user, ClearanceClaim), "clearance"));
    }

    private static string Required(ClaimsPrincipal user, string type) =>
        user.FindFirst(type)?.Value ?? throw new InvalidOperationException($"claim {type} is missing");
}

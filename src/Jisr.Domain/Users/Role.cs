using Jisr.Domain.Common;

namespace Jisr.Domain.Users;

public enum Role
{
    Analyst,
    FieldOfficer,
    LiaisonOfficer,
    LegalReviewer,
    Administrator,
}

public static class Roles
{
    public static readonly WireNames<Role> Names = new(
        (Role.Analyst, "analyst"),
        (Role.FieldOfficer, "field-officer"),
        (Role.LiaisonOfficer, "liaison-officer"),
        (Role.LegalReviewer, "legal-reviewer"),
        (Role.Administrator, "administrator"));
}

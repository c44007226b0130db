namespace Jisr.Domain.Users;

public enum Role
{
    Analyst,
    FieldOfficer,
    LiaisonOfficer,
    LegalReviewer,
    Administrator,

    /// <summary>Registers agencies on the node: an act for the node's operator, not for any agency's administrator.</summary>
    NodeAdministrator,

    /// <summary>Changes records of their agency that others wrote, within their clearance (authors change their own).</summary>
    Editor,
}

public static class Roles
{
    public static readonly WireNames<Role> Names = new(
        (Role.Analyst, "analyst"),
        (Role.FieldOfficer, "field-officer"),
        (Role.LiaisonOfficer, "liaison-officer"),
        (Role.LegalReviewer, "legal-reviewer"),
        (Role.Administrator, "administrator"),
        (Role.NodeAdministrator, "node-administrator"),
        (Role.Editor, "editor"));
}

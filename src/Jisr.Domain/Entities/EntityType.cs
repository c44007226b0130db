namespace Jisr.Domain.Entities;

public enum EntityType
{
    Person,
    Organisation,
    Location,
    Phone,
    Email,
    Document,
    Vehicle,
    Vessel,
    BankAccount,
    CryptoWallet,
    OnlineAccount,
    Event,
}

public enum LinkType
{
    MemberOf,
    AssociateOf,
    Owns,
    Called,
    TravelledWith,
    Funded,
    LocatedAt,
}

public static class EntityVocabulary
{
    public static readonly WireNames<EntityType> Types = new(
        (EntityType.Person, "person"),
        (EntityType.Organisation, "organisation"),
        (EntityType.Location, "location"),
        (EntityType.Phone, "phone"),
        (EntityType.Email, "email"),
        (EntityType.Document, "document"),
        (EntityType.Vehicle, "vehicle"),
        (EntityType.Vessel, "vessel"),
        (EntityType.BankAccount, "bank-account"),
        (EntityType.CryptoWallet, "crypto-wallet"),
        (EntityType.OnlineAccount, "online-account"),
        (EntityType.Event, "event"));

    public static readonly WireNames<LinkType> LinkTypes = new(
        (LinkType.MemberOf, "member-of"),
        (LinkType.AssociateOf, "associate-of"),
        (LinkType.Owns, "owns"),
        (LinkType.Called, "called"),
        (LinkType.TravelledWith, "travelled-with"),
        (LinkType.Funded, "funded"),
        (LinkType.LocatedAt, "located-at"));
}

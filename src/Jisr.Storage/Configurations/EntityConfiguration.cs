namespace Jisr.Storage.Configurations;

/// <summary>All entity types share one table (TPH), told apart by the EntityType column; type-specific attributes are nullable columns.</summary>
internal sealed class EntityConfiguration : IEntityTypeConfiguration<Entity>
{
    public void Configure(EntityTypeBuilder<Entity> builder)
    {
        builder.ToTable("Entities");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Ignore(e => e.Type);
        var discriminator = builder.HasDiscriminator<string>("EntityType");
        foreach (var (type, clrType) in EntityClrTypes)
        {
            discriminator.HasValue(clrType, EntityVocabulary.Types[type]);
        }

        builder.Property("EntityType").HasMaxLength(20);
        builder.Property(e => e.Label).HasMaxLength(Entity.MaxLabelLength);
        builder.Property(e => e.Key).HasMaxLength(300);
        builder.HasOne<Agency>().WithMany().HasForeignKey(e => e.AgencyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(e => new { e.AgencyId, e.Key });
    }

    public static readonly (EntityType Type, Type ClrType)[] EntityClrTypes =
    [
        (EntityType.Person, typeof(Person)),
        (EntityType.Organisation, typeof(Organisation)),
        (EntityType.Location, typeof(Location)),
        (EntityType.Phone, typeof(PhoneNumber)),
        (EntityType.Email, typeof(EmailAddress)),
        (EntityType.Document, typeof(IdentityDocument)),
        (EntityType.Vehicle, typeof(Vehicle)),
        (EntityType.Vessel, typeof(Vessel)),
        (EntityType.BankAccount, typeof(BankAccount)),
        (EntityType.CryptoWallet, typeof(CryptoWallet)),
        (EntityType.OnlineAccount, typeof(OnlineAccount)),
        (EntityType.Event, typeof(Event)),
    ];
}

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> builder)
    {
        builder.Property(p => p.Names).HasField("_names").UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasConversion(JsonConversions.PersonNames, JsonConversions.ListComparer<PersonName>());
        builder.Property(p => p.Nationalities).HasField("_nationalities").UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasConversion(JsonConversions.StringList, JsonConversions.ListComparer<string>());
        builder.Property(p => p.Identifiers).HasField("_identifiers").UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasConversion(JsonConversions.PersonIdentifiers, JsonConversions.ListComparer<PersonIdentifier>());
        builder.Property(p => p.DateOfBirth).HasConversion(JsonConversions.PartialDates).HasMaxLength(10);
    }
}

internal sealed class OrganisationConfiguration : IEntityTypeConfiguration<Organisation>
{
    public void Configure(EntityTypeBuilder<Organisation> builder)
    {
        builder.Ignore(o => o.Name);
        builder.Property(o => o.Aliases).HasField("_aliases").UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasConversion(JsonConversions.StringList, JsonConversions.ListComparer<string>());
    }
}

internal sealed class EventConfiguration : IEntityTypeConfiguration<Event>
{
    public void Configure(EntityTypeBuilder<Event> builder)
    {
        builder.Ignore(e => e.Name);
        builder.Property(e => e.OccurredOn).HasConversion(JsonConversions.PartialDates).HasMaxLength(10);
    }
}

/// <summary>Properties that only restate <see cref="Entity.Label"/> or <see cref="Entity.Key"/> are not columns of their own.</summary>
internal sealed class DerivedPropertyConfiguration :
    IEntityTypeConfiguration<Location>,
    IEntityTypeConfiguration<PhoneNumber>,
    IEntityTypeConfiguration<EmailAddress>,
    IEntityTypeConfiguration<Vehicle>,
    IEntityTypeConfiguration<Vessel>,
    IEntityTypeConfiguration<BankAccount>,
    IEntityTypeConfiguration<CryptoWallet>
{
    public void Configure(EntityTypeBuilder<Location> builder) => builder.Ignore(e => e.Name);

    public void Configure(EntityTypeBuilder<PhoneNumber> builder) => builder.Ignore(e => e.Number);

    public void Configure(EntityTypeBuilder<EmailAddress> builder) => builder.Ignore(e => e.Address);

    public void Configure(EntityTypeBuilder<Vehicle> builder) => builder.Ignore(e => e.Registration);

    public void Configure(EntityTypeBuilder<Vessel> builder) => builder.Ignore(e => e.Name);

    public void Configure(EntityTypeBuilder<BankAccount> builder) => builder.Ignore(e => e.Iban);

    public void Configure(EntityTypeBuilder<CryptoWallet> builder) => builder.Ignore(e => e.Address);
}

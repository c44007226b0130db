namespace Jisr.Storage.Configurations;

/// <summary>The user names a TLP:RED release to another node's agency names (resolved on that node): a JSON array.</summary>
internal sealed class ReleaseRecipientNamesConfiguration : IEntityTypeConfiguration<Release>
{
    public void Configure(EntityTypeBuilder<Release> builder)
    {
        builder.Property(r => r.RecipientUserNames)
            .HasField("_recipientUserNames")
            .UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasConversion(JsonConversions.StringList, JsonConversions.ListComparer<string>())
            .HasDefaultValue(Array.Empty<string>());
    }
}

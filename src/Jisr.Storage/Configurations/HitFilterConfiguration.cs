using Jisr.Storage.HitCheck;

namespace Jisr.Storage.Configurations;

internal sealed class ReceivedHitFilterConfiguration : IEntityTypeConfiguration<ReceivedHitFilter>
{
    public void Configure(EntityTypeBuilder<ReceivedHitFilter> builder)
    {
        builder.ToTable("HitFiltersReceived");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Id).ValueGeneratedNever();
        builder.HasIndex(f => new { f.AgreementId, f.OwnerAgencyId }).IsUnique();
        builder.HasIndex(f => f.RecipientAgencyId);
        builder.Property(f => f.Salt).HasMaxLength(32);
    }
}

internal sealed class PublishedHitFilterConfiguration : IEntityTypeConfiguration<PublishedHitFilter>
{
    public void Configure(EntityTypeBuilder<PublishedHitFilter> builder)
    {
        builder.ToTable("HitFiltersPublished");
        builder.HasKey(f => new { f.AgreementId, f.OwnerAgencyId });
        builder.Property(f => f.ContentDigest).HasMaxLength(64);
    }
}

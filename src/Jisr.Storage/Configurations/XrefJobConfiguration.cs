using Jisr.Storage.Fusion;

namespace Jisr.Storage.Configurations;

/// <summary>
/// Cross-reference jobs: at most one running per user, which the database decides (a unique index over the running
/// ones), so two starts at the same moment give one job and a 409.
/// </summary>
internal sealed class XrefJobConfiguration : IEntityTypeConfiguration<XrefJobRow>
{
    public void Configure(EntityTypeBuilder<XrefJobRow> builder)
    {
        builder.ToTable("XrefJobs");
        builder.HasKey(j => j.Id);
        builder.Property(j => j.Id).ValueGeneratedNever();
        builder.HasOne<Agency>().WithMany().HasForeignKey(j => j.AgencyId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(j => j.Against).HasMaxLength(16);
        builder.Property(j => j.Status).HasMaxLength(16);
        builder.Property(j => j.Purpose).HasMaxLength(XrefJobRow.MaxPurposeLength);
        builder.Property(j => j.Error).HasMaxLength(1000);
        builder.HasIndex(j => j.OwnerId).IsUnique().HasFilter("\"Status\" = 'running'").HasDatabaseName("IX_XrefJobs_OwnerId_Running");
        builder.HasIndex(j => j.StartedAt); // finished jobs past their time go in one range delete
    }
}

internal sealed class XrefWatermarkConfiguration : IEntityTypeConfiguration<XrefWatermark>
{
    public void Configure(EntityTypeBuilder<XrefWatermark> builder)
    {
        builder.ToTable("XrefWatermarks");
        builder.HasKey(w => new { w.AgencyId, w.Scope, w.Part });
        builder.HasOne<Agency>().WithMany().HasForeignKey(w => w.AgencyId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(w => w.Scope).HasMaxLength(64);
    }
}

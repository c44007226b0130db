namespace Jisr.Storage.Configurations;

internal sealed class AgencyConfiguration : IEntityTypeConfiguration<Agency>
{
    public void Configure(EntityTypeBuilder<Agency> builder)
    {
        builder.ToTable("Agencies");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.HasIndex(a => a.Code).IsUnique();
        builder.Property(a => a.Code).HasMaxLength(32);
        builder.Property(a => a.Name).HasMaxLength(Agency.MaxNameLength);
        builder.Property(a => a.Country).HasMaxLength(3);
    }
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<JisrUser>
{
    public void Configure(EntityTypeBuilder<JisrUser> builder)
    {
        builder.HasOne<Agency>().WithMany().HasForeignKey(u => u.AgencyId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(u => u.DisplayName).HasMaxLength(200);
        builder.Property(u => u.Roles).HasRoleListConversion();
    }
}

internal sealed class AccessGrantConfiguration : IEntityTypeConfiguration<AccessGrant>
{
    public void Configure(EntityTypeBuilder<AccessGrant> builder)
    {
        builder.ToTable("AccessGrants");
        builder.HasKey(g => g.Id);
        builder.Property(g => g.Id).ValueGeneratedNever();
        builder.HasIndex(g => new { g.AgencyId, g.Status });
        builder.Property(g => g.Roles).HasRoleListConversion();
        builder.Property(g => g.FromRoles).HasRoleListConversion();
        builder.HasOne<Agency>().WithMany().HasForeignKey(g => g.AgencyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(g => g.UserId);
    }
}

/// <summary>A list of roles in one column, as their wire names ("analyst,legal-reviewer"): readable in the database.</summary>
internal static class RoleListColumn
{
    public static PropertyBuilder<List<Role>> HasRoleListConversion(this PropertyBuilder<List<Role>> property) =>
        property.HasConversion(
            v => string.Join(',', v.Select(r => Roles.Names[r])),
            s => s.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(n => Roles.Names.Parse(n, "roles")).ToList(),
            new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<List<Role>>(
                (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
                v => v.Aggregate(0, (h, r) => HashCode.Combine(h, r)),
                v => v.ToList()));
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.ToTable("ApiTokens");
        builder.HasKey(t => t.Id);
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasIndex(t => t.UserId);
        builder.Property(t => t.TokenHash).HasMaxLength(64);
        builder.Property(t => t.Prefix).HasMaxLength(16);
        builder.Property(t => t.Name).HasMaxLength(100);
        builder.HasOne<JisrUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditLog");
        builder.HasKey(e => e.Sequence);
        builder.Property(e => e.Sequence).ValueGeneratedNever();
        builder.Property(e => e.Action).HasMaxLength(64);
        builder.Property(e => e.TargetType).HasMaxLength(64);
        builder.Property(e => e.TargetId).HasMaxLength(64);
        builder.Property(e => e.ActorName).HasMaxLength(256);
        builder.Property(e => e.Purpose).HasMaxLength(500);
        builder.Property(e => e.Outcome).HasMaxLength(32);
        builder.Property(e => e.Detail).HasMaxLength(2000);
        builder.HasIndex(e => new { e.TargetType, e.TargetId });
        builder.HasIndex(e => e.ActorUserId);
    }
}

internal sealed class AuditCheckpointConfiguration : IEntityTypeConfiguration<AuditCheckpoint>
{
    public void Configure(EntityTypeBuilder<AuditCheckpoint> builder)
    {
        builder.ToTable("AuditCheckpoints");
        builder.HasKey(c => new { c.Sequence, c.KeyId });
        builder.Property(c => c.Sequence).ValueGeneratedNever();
        builder.Property(c => c.KeyId).HasMaxLength(64);
    }
}

internal sealed class JobLeaseConfiguration : IEntityTypeConfiguration<JobLease>
{
    public void Configure(EntityTypeBuilder<JobLease> builder)
    {
        builder.ToTable("JobLeases");
        builder.HasKey(l => l.Job);
        builder.Property(l => l.Job).HasMaxLength(JobLeases.MaxNameLength);
        builder.Property(l => l.Holder).HasMaxLength(JobLeases.MaxNameLength);
    }
}

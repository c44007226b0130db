using Jisr.Storage.Federation;

namespace Jisr.Storage.Configurations;

internal sealed class FederationPeerConfiguration : IEntityTypeConfiguration<FederationPeer>
{
    public void Configure(EntityTypeBuilder<FederationPeer> builder)
    {
        builder.ToTable("FederationPeers");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Url).HasMaxLength(2000);
        builder.Property(p => p.Fingerprint).HasMaxLength(64);
        builder.Property(p => p.Status).HasMaxLength(16);
        builder.HasIndex(p => p.Fingerprint).IsUnique();

        // Two writers staging messages to one peer at once: one wins, the other retries, never two messages with one sequence.
        // What is received from the peer never writes this row (the inbox holds the sequence applied, unique per peer),
        // so receiving never conflicts with sending.
        builder.Property(p => p.LastSequenceOut).IsConcurrencyToken();
    }
}

internal sealed class RemoteAgencyConfiguration : IEntityTypeConfiguration<RemoteAgency>
{
    public void Configure(EntityTypeBuilder<RemoteAgency> builder)
    {
        builder.ToTable("FederationRemoteAgencies");
        builder.HasKey(a => a.AgencyId);
        builder.Property(a => a.AgencyId).ValueGeneratedNever();
        builder.HasOne<Agency>().WithMany().HasForeignKey(a => a.AgencyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<FederationPeer>().WithMany().HasForeignKey(a => a.PeerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(a => a.PeerId);
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("FederationOutbox");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Type).HasMaxLength(64);
        builder.Property(m => m.PayloadDigest).HasMaxLength(64);
        builder.Property(m => m.Status).HasMaxLength(16);
        builder.Property(m => m.LastError).HasMaxLength(2000);
        builder.HasOne<FederationPeer>().WithMany().HasForeignKey(m => m.PeerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => new { m.PeerId, m.Sequence }).IsUnique();
        builder.HasIndex(m => new { m.Status, m.NextAttemptAt });
    }
}

internal sealed class InboxMessageConfiguration : IEntityTypeConfiguration<InboxMessage>
{
    public void Configure(EntityTypeBuilder<InboxMessage> builder)
    {
        builder.ToTable("FederationInbox");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Type).HasMaxLength(64);
        builder.Property(m => m.PayloadDigest).HasMaxLength(64);
        builder.HasOne<FederationPeer>().WithMany().HasForeignKey(m => m.PeerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => new { m.PeerId, m.Sequence }).IsUnique();
    }
}

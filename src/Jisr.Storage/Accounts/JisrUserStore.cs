using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace Jisr.Storage.Accounts;

/// <summary>
/// Identity's user store over the node's context, without saving on its own: every account change is saved by
/// <see cref="Audit.AuditLog.SaveWithAuditAsync(JisrDbContext, Audit.AuditEvent, CancellationToken)"/> in one
/// transaction with its audit entry, so an account never changes without a trace.
/// </summary>
public sealed class JisrUserStore : UserStore<JisrUser, IdentityRole<Guid>, JisrDbContext, Guid>
{
    public JisrUserStore(JisrDbContext context, IdentityErrorDescriber? describer = null)
        : base(context, describer)
    {
        AutoSaveChanges = false;
    }
}

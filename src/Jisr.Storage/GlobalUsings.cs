// Namespaces most files of this project use; a file adds its own rarer ones.
global using Jisr.Domain.Agencies;
global using Jisr.Domain.Common;
global using Jisr.Domain.Entities;
global using Jisr.Domain.Markings;
global using Jisr.Domain.Records;
global using Jisr.Domain.Sharing;
global using Jisr.Domain.Users;
global using Jisr.Policy;
global using Jisr.Storage.Accounts;
global using Jisr.Storage.Audit;
global using Jisr.Storage.Records;
global using Microsoft.AspNetCore.Identity;
global using Microsoft.EntityFrameworkCore;
global using Microsoft.EntityFrameworkCore.Metadata.Builders;
global using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
global using System.Security.Cryptography;
global using System.Text;

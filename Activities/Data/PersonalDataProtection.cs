using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection;

namespace ComplaintWorkflows.Activities.Data;

/// <summary>
/// A consumer's personal data (name, phone number, address, e-mail, an SMS text addressed to them): the column holds it
/// encrypted with ASP.NET Core Data Protection under keys kept outside the database (<see cref="PersonalDataProtector"/>).
/// An encrypted column cannot be compared in SQL: an equality lookup goes through a <see cref="LookupHashOfAttribute"/>
/// property beside it.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class EncryptedAttribute : Attribute;

/// <summary>
/// The keyed hash (HMAC-SHA256) of another, encrypted, property, stored for equality lookups: the property's getter
/// answers the plain value of <see cref="Property"/> (its setter ignores what is read back), and the column converts
/// it, and every value a query compares it with, to the hash. <c>c.ConsumerPhoneKey == phone</c> thus finds the rows
/// of <c>phone</c> without the database ever seeing the number.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class LookupHashOfAttribute(string property) : Attribute
{
    public string Property { get; } = property;
}

/// <summary>
/// Encrypts and decrypts personal data in their columns, and computes their lookup hashes. The encryption keys are a
/// Data Protection key ring in a folder (never in the database); the hash key is generated once, kept in the same
/// folder encrypted by the key ring, so a copy of the database alone reveals neither the data nor a way to test
/// guesses against the hashes. Every host on one database must use the same key ring (the same folder).
/// </summary>
public sealed class PersonalDataProtector
{
    /// <summary>How every Data Protection payload begins (its magic header, base64url): a stored value without it was written in clear.</summary>
    public const string ProtectedPrefix = "CfDJ8";

    private const string Purpose = "ComplaintWorkflows.PersonalData.v1";
    private const string HashKeyFile = "lookup-hash-key.txt";

    private readonly IDataProtector? _protector;
    private readonly byte[] _hashKey;
    private readonly string _source;

    private PersonalDataProtector(IDataProtector? protector, byte[] hashKey, string source)
    {
        _protector = protector;
        _hashKey = hashKey;
        _source = source;
    }

    /// <summary>Where the keys are (the key-ring folder, or "ephemeral"), for messages.</summary>
    public string Source => _source;

    /// <summary>
    /// The protector on the key ring in <paramref name="folder"/> (created with its first key and the hash key when
    /// missing; several hosts sharing the folder at once agree on one hash key).
    /// </summary>
    public static PersonalDataProtector FromKeyRing(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var directory = Directory.CreateDirectory(Path.GetFullPath(folder));
        var services = new ServiceCollection();
        Configure(services.AddDataProtection().PersistKeysToFileSystem(directory));
        var provider = services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>();
        var protector = provider.CreateProtector(Purpose);
        var keyProtector = provider.CreateProtector(Purpose + ".LookupHashKey");
        return new PersonalDataProtector(protector, ReadOrCreateHashKey(directory.FullName, keyProtector), directory.FullName);
    }

    /// <summary>A protector with keys of its own that live as long as it does (tests, in-memory databases).</summary>
    public static PersonalDataProtector Ephemeral()
    {
        var services = new ServiceCollection();
        Configure(services.AddDataProtection().UseEphemeralDataProtectionProvider());
        var provider = services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>();
        return new PersonalDataProtector(provider.CreateProtector(Purpose), RandomNumberGenerator.GetBytes(32), "ephemeral");
    }

    /// <summary>A protector without keys, for building the model only (migrations): it refuses to protect or read anything.</summary>
    internal static PersonalDataProtector ModelOnly { get; } = new(null, new byte[32], "none");

    /// <summary>
    /// The keys of contexts created without a key ring (tests, tools): ephemeral, the same for the whole process, so two
    /// factories on one file read each other's rows. The host always passes its own (<see cref="FromKeyRing"/>).
    /// </summary>
    internal static PersonalDataProtector ProcessEphemeral => ProcessEphemeralKeys.Value;

    private static readonly Lazy<PersonalDataProtector> ProcessEphemeralKeys = new(Ephemeral);

    /// <summary>The value as stored: a Data Protection payload (base64url, beginning with <see cref="ProtectedPrefix"/>).</summary>
    public string Protect(string value) => Protector.Protect(value);

    /// <summary>The plain value of a stored one; a value stored in clear (a row from before encryption) as it is.</summary>
    public string Unprotect(string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!IsProtected(stored))
        {
            return stored;
        }

        try
        {
            return Protector.Unprotect(stored);
        }
        catch (CryptographicException e)
        {
            throw new CryptographicException(
                $"Personal data in the database cannot be decrypted with the key ring at {_source}: it was written with a key this ring does not have. "
                + "Every host on one database must use the same key ring (Workflows:PersonalData:KeyRingFolder, shared or copied).", e);
        }
    }

    /// <summary>Whether a stored value is encrypted (else it was written in clear, before encryption).</summary>
    public static bool IsProtected(string? stored) => stored is not null && stored.StartsWith(ProtectedPrefix, StringComparison.Ordinal);

    /// <summary>The lookup hash of a value: lower-case hex HMAC-SHA256 under the key ring's hash key (64 characters).</summary>
    public string Hash(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Convert.ToHexStringLower(HMACSHA256.HashData(_hashKey, Encoding.UTF8.GetBytes(value)));
    }

    private IDataProtector Protector => _protector
        ?? throw new InvalidOperationException("This domain context has no personal-data key ring: create it with DomainDatabase.Sqlite/Postgres/InMemory, which configure one.");

    /// <summary>AES-256-GCM: authenticated, and shorter and faster than the default CBC + HMAC.</summary>
    private static void Configure(IDataProtectionBuilder builder)
        => builder.SetApplicationName("ComplaintWorkflows.PersonalData").UseCryptographicAlgorithms(new AuthenticatedEncryptorConfiguration
        {
            EncryptionAlgorithm = EncryptionAlgorithm.AES_256_GCM,
            ValidationAlgorithm = ValidationAlgorithm.HMACSHA256,
        });

    /// <summary>The hash key of the folder; the first host to need one writes it (whole, by a rename), the others read it.</summary>
    private static byte[] ReadOrCreateHashKey(string folder, IDataProtector keyProtector)
    {
        var path = Path.Combine(folder, HashKeyFile);
        if (!File.Exists(path))
        {
            var temporary = Path.Combine(folder, HashKeyFile + "." + Guid.NewGuid().ToString("N") + ".tmp");
            File.WriteAllText(temporary, keyProtector.Protect(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another host wrote it first: use theirs.
                File.Delete(temporary);
            }
        }

        try
        {
            return Convert.FromBase64String(keyProtector.Unprotect(File.ReadAllText(path).Trim()));
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            throw new CryptographicException($"The lookup-hash key {path} cannot be read with the key ring in {folder}: the file belongs to another key ring, or is damaged.", e);
        }
    }
}

/// <summary>Carries the <see cref="PersonalDataProtector"/> of a domain context's options (a model per protector).</summary>
internal sealed class PersonalDataExtension(PersonalDataProtector protector) : IDbContextOptionsExtension
{
    public PersonalDataProtector Protector { get; } = protector;

    public DbContextOptionsExtensionInfo Info => new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services)
    {
    }

    public void Validate(IDbContextOptions options)
    {
    }

    /// <summary>
    /// The protector does not change EF's internal services (one service provider for all of them); the model, whose
    /// converters hold it, is cached per protector by <see cref="PersonalDataModelCacheKeyFactory"/>.
    /// </summary>
    private sealed class ExtensionInfo(PersonalDataExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => "PersonalData ";

        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) => debugInfo["PersonalData"] = "1";
    }
}

/// <summary>Caches a domain context's model per context type and protector (the model's converters hold the protector).</summary>
internal sealed class PersonalDataModelCacheKeyFactory : Microsoft.EntityFrameworkCore.Infrastructure.IModelCacheKeyFactory
{
    public object Create(DbContext context, bool designTime)
        => context is DomainDbContext domain ? (context.GetType(), domain.Protector, designTime) : (object)(context.GetType(), designTime);
}

/// <summary>Applies the personal-data converters to the model: encrypted columns and their lookup hashes.</summary>
public static class PersonalDataColumns
{
    /// <summary>Length of a lookup-hash column (hex SHA-256).</summary>
    public const int HashLength = 64;

    /// <summary>Adds the protector to a domain context's options.</summary>
    public static DbContextOptionsBuilder<TContext> UsePersonalDataProtector<TContext>(this DbContextOptionsBuilder<TContext> builder, PersonalDataProtector protector)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(protector);
        ((IDbContextOptionsBuilderInfrastructure)builder).AddOrUpdateExtension(new PersonalDataExtension(protector));
        return builder.ReplaceService<Microsoft.EntityFrameworkCore.Infrastructure.IModelCacheKeyFactory, PersonalDataModelCacheKeyFactory>();
    }

    /// <summary>The encrypted properties of every entity type (by CLR type), for the migration of rows in clear and for tests.</summary>
    public static IReadOnlyList<(Type Entity, string Property)> Encrypted(Microsoft.EntityFrameworkCore.Metadata.IModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return [.. model.GetEntityTypes().SelectMany(e => e.GetProperties()
            .Where(p => p.PropertyInfo?.GetCustomAttributes(typeof(EncryptedAttribute), false).Length > 0)
            .Select(p => (e.ClrType, p.Name)))];
    }

    internal static void Apply(ModelBuilder modelBuilder, PersonalDataProtector protector)
    {
        var encrypt = new ValueConverter<string, string>(v => protector.Protect(v), v => protector.Unprotect(v));
        var hash = new ValueConverter<string, string>(v => protector.Hash(v), v => v);
        foreach (var entity in modelBuilder.Model.GetEntityTypes().ToList())
        {
            foreach (var property in entity.ClrType.GetProperties())
            {
                if (property.GetCustomAttributes(typeof(EncryptedAttribute), false).Length > 0)
                {
                    if (property.PropertyType != typeof(string))
                    {
                        throw new InvalidOperationException($"{entity.ClrType.Name}.{property.Name} is [Encrypted] but not a string.");
                    }

                    // A payload is about 1.4 times the UTF-8 length plus 90 characters: no length limit on the column.
                    var column = modelBuilder.Entity(entity.ClrType).Property(property.Name).HasConversion(encrypt);
                    column.Metadata.SetMaxLength(null);
                }
                else if (property.GetCustomAttributes(typeof(LookupHashOfAttribute), false).FirstOrDefault() is LookupHashOfAttribute of)
                {
                    if (entity.ClrType.GetProperty(of.Property)?.GetCustomAttributes(typeof(EncryptedAttribute), false).Length is not > 0)
                    {
                        throw new InvalidOperationException($"{entity.ClrType.Name}.{property.Name} is the lookup hash of {of.Property}, which is not an [Encrypted] property.");
                    }

                    modelBuilder.Entity(entity.ClrType).Property(property.Name).HasConversion(hash).HasMaxLength(HashLength);
                }
            }
        }
    }
}

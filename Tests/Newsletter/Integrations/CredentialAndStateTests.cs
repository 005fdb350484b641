using ChartCraft.Features.Newsletter.Integrations;
using Microsoft.AspNetCore.DataProtection;

namespace ChartCraft.Tests.Newsletter.Integrations;

/// <summary>Credentials at rest and OAuth states: encrypted, authenticated, expiring.</summary>
public sealed class CredentialAndStateTests
{
    static readonly IDataProtectionProvider Keys = new EphemeralDataProtectionProvider();

    [Fact]
    public void protected_credentials_hold_no_trace_of_the_secret_and_read_back_whole()
    {
        var protector = new CredentialProtector(Keys);
        var credentials = new IntegrationCredentials(AuthMethods.OAuth, "kit-access-SECRET123", "kit-refresh-SECRET456",
            DateTimeOffset.Parse("2026-05-01T10:00:00Z"));
        var sealedText = protector.Protect(credentials);
        sealedText.ShouldNotContain("SECRET");
        sealedText.ShouldNotContain("kit-");
        protector.Unprotect(sealedText).ShouldBe(credentials);
    }

    [Fact]
    public void credentials_protected_under_other_keys_are_refused()
    {
        var sealedText = new CredentialProtector(new EphemeralDataProtectionProvider()).Protect(new IntegrationCredentials(AuthMethods.ApiKey, "k"));
        Should.Throw<System.Security.Cryptography.CryptographicException>(() => new CredentialProtector(Keys).Unprotect(sealedText));
    }

    [Fact]
    public void credentials_and_tokens_never_print_their_secrets()
    {
        new IntegrationCredentials(AuthMethods.ApiKey, "abc-SECRET-us6").ToString().ShouldNotContain("SECRET");
        new KitTokens("access-SECRET", "refresh-SECRET", DateTimeOffset.UtcNow).ToString().ShouldNotContain("SECRET");
        new ConnectIntegrationRequest("abc-SECRET-us6").ToString().ShouldNotContain("SECRET");
    }

    [Fact]
    public void the_account_key_for_limits_is_stable_per_secret_and_does_not_reveal_it()
    {
        var a = new IntegrationCredentials(AuthMethods.ApiKey, "0123456789abcdef-us6");
        a.AccountKey.ShouldBe(new IntegrationCredentials(AuthMethods.OAuth, "0123456789abcdef-us6").AccountKey);
        a.AccountKey.ShouldNotBe(new IntegrationCredentials(AuthMethods.ApiKey, "other").AccountKey);
        a.AccountKey.ShouldNotContain("0123");
    }

    [Fact]
    public void a_sealed_state_opens_to_the_same_user_provider_and_nonce()
    {
        var codec = new OAuthStateCodec(Keys);
        var state = new OAuthState("nonce-1", Guid.NewGuid(), NewsletterProviders.Mailchimp);
        codec.Open(codec.Seal(state, DateTimeOffset.UtcNow.AddMinutes(10))).ShouldBe(state);
    }

    [Fact]
    public void a_forged_tampered_foreign_or_expired_state_does_not_open()
    {
        var codec = new OAuthStateCodec(Keys);
        var state = new OAuthState("nonce-2", Guid.NewGuid(), NewsletterProviders.ConvertKit);
        var sealedState = codec.Seal(state, DateTimeOffset.UtcNow.AddMinutes(10));

        codec.Open(null).ShouldBeNull();
        codec.Open("forged-state").ShouldBeNull();
        codec.Open(sealedState[..^2] + (sealedState[^2] == 'A' ? "B" : "A") + sealedState[^1]).ShouldBeNull();
        codec.Open(new OAuthStateCodec(new EphemeralDataProtectionProvider()).Seal(state, DateTimeOffset.UtcNow.AddMinutes(10))).ShouldBeNull();
        codec.Open(codec.Seal(state, DateTimeOffset.UtcNow.AddSeconds(-1))).ShouldBeNull();
        // Credentials and states use different purposes: one cannot pass for the other.
        codec.Open(new CredentialProtector(Keys).Protect(new IntegrationCredentials(AuthMethods.ApiKey, "x"))).ShouldBeNull();
    }
}

/*
 * Test-only stand-in for Windows' bcryptprimitives.dll, for running the
 * Windows build under Wine in CI (Debian 12's Wine 8.0 lacks this DLL).
 *
 * Rust's standard library gets its random numbers (HashMap seeds, and the
 * `getrandom` crate behind age's keys) from ProcessPrng. Here it forwards
 * to BCryptGenRandom with the system RNG, which Wine implements. Never
 * ship this DLL: real Windows has its own.
 */
#include <windows.h>
#include <bcrypt.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}

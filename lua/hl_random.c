/* hl_random.c: the sandbox's math library: Lua's, with math.random and
 * math.randomseed drawing from a generator seeded by the host instead of
 * the clock.
 *
 * The generator is xoshiro256** (Blackman and Vigna, "Scrambled linear
 * pseudorandom number generators", 2021), the one Lua 5.4 itself uses; its
 * four state words are the first four outputs of splitmix64 started at the
 * seed, the seeding Vigna recommends. math.random keeps Lua 5.4's interface:
 * () a float in [0, 1) from the top 53 bits; (0) all 64 bits as an integer;
 * (m) an integer in [1, m]; (m, n) an integer in [m, n], drawn without bias
 * by rejecting values past the interval under the smallest covering mask. */
#include <lauxlib.h>
#include <lualib.h>
#include "hl_sandbox_int.h"

static uint64_t splitmix64(uint64_t *x) {
  uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));
  z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
  return z ^ (z >> 31);
}

void hl__rng_seed(hl_rng *rng, uint64_t seed) {
  for (int i = 0; i < 4; i++) rng->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t next_u64(hl_rng *rng) {
  uint64_t *s = rng->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

/* Uniform in [0, span]. */
static uint64_t draw_upto(hl_rng *rng, uint64_t span) {
  uint64_t mask = span;
  for (int shift = 1; shift < 64; shift *= 2) mask |= mask >> shift;
  uint64_t r = next_u64(rng) & mask;
  while (r > span) r = next_u64(rng) & mask;
  return r;
}

static int sandbox_random(lua_State *L) {
  hl_rng *rng = &hl__sandbox_of(L)->rng;
  lua_Integer low, up;
  switch (lua_gettop(L)) {
  case 0: lua_pushnumber(L, (lua_Number)(next_u64(rng) >> 11) * 0x1.0p-53); return 1;
  case 1:
    low = 1;
    up = luaL_checkinteger(L, 1);
    if (up == 0) {
      lua_pushinteger(L, (lua_Integer)next_u64(rng));
      return 1;
    }
    break;
  case 2:
    low = luaL_checkinteger(L, 1);
    up = luaL_checkinteger(L, 2);
    break;
  default: return luaL_error(L, "wrong number of arguments");
  }
  luaL_argcheck(L, low <= up, 1, "interval is empty");
  uint64_t span = (uint64_t)up - (uint64_t)low; /* modular: exact for any low <= up */
  lua_pushinteger(L, (lua_Integer)((uint64_t)low + draw_upto(rng, span)));
  return 1;
}

static int sandbox_randomseed(lua_State *L) {
  if (lua_isnone(L, 1))
    return luaL_error(L, "math.randomseed needs a seed: the sandbox has no source of randomness "
                         "(math.random starts from the run's seed)");
  hl__rng_seed(&hl__sandbox_of(L)->rng, (uint64_t)luaL_checkinteger(L, 1));
  return 0;
}

void hl__open_math(lua_State *L) {
  luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
  lua_pushcfunction(L, sandbox_random);
  lua_setfield(L, -2, "random");
  lua_pushcfunction(L, sandbox_randomseed);
  lua_setfield(L, -2, "randomseed");
  lua_pop(L, 1);
}

package emulator

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSeedData(t *testing.T) {
	a, b := New(Config{}), New(Config{})
	for name, want := range map[string]int{"sys_user": 6, "incident": 300, "sn_bom_financial_service": 20} {
		ta, tb := a.tables[name], b.tables[name]
		require.Len(t, ta.rows, want, name)
		assert.Equal(t, ta.rows, tb.rows, "seed is deterministic: %s", name)
		for _, rec := range ta.rows {
			assert.True(t, isSysID(rec["sys_id"]), name)
			for f, ref := range ta.refs {
				if rec[f] != "" {
					assert.NotNil(t, a.tables[ref].byID[rec[f]], "%s.%s points at a record", name, f)
				}
			}
			for f := range rec {
				assert.True(t, ta.known[f], "%s.%s is in the schema", name, f)
			}
		}
	}
	assert.Equal(t, "admin", a.tables["sys_user"].byID[adminID]["user_name"])
	assert.Equal(t, "System Administrator", a.tables["sys_user"].byID[adminID]["name"])
	inc := a.tables["incident"].rows
	assert.Equal(t, "INC0010001", inc[0]["number"])
	assert.Equal(t, "INC0010300", inc[299]["number"])
	states := map[string]int{}
	for _, r := range inc {
		states[r["state"]]++
	}
	assert.Len(t, states, 6, "every incident state appears: %v", states)
	assert.Equal(t, "FSC0001001", a.tables["sn_bom_financial_service"].rows[0]["number"])

	for _, u := range seedUsers {
		id, ok := a.checkPassword(u.user, u.user)
		assert.True(t, ok, u.user)
		assert.Equal(t, u.user, a.userName(id))
		_, ok = a.checkPassword(u.user, u.user+"x")
		assert.False(t, ok)
	}
	_, ok := a.checkPassword("ADMIN", "admin")
	assert.True(t, ok, "user names are case-insensitive")
	_, ok = a.checkPassword("nobody", "")
	assert.False(t, ok)
	assert.Len(t, a.passwords, len(seedUsers))
}

func TestSeedIncidentCount(t *testing.T) {
	s := New(Config{Incidents: 2500})
	assert.Len(t, s.tables["incident"].rows, 2500)
	assert.Len(t, New(Config{}).tables["incident"].rows, 300)
}

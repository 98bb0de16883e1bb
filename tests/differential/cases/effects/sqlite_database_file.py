# sqlite3 writes a database file; a later section queries it.
# Objects no run can compare (threads, locks, connections) are deleted at the end.
# %%
import sqlite3
connection = sqlite3.connect("probe.db")
connection.execute("create table t (v integer)")
connection.executemany("insert into t values (?)", [(1,), (2,), (3,)])
connection.commit()
# %% [markdown]
# ## Query
# %%
total = connection.execute("select sum(v) from t").fetchone()[0]
connection.close()
del connection
print(total)

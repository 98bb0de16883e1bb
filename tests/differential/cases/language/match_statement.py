# A match statement with class, mapping and sequence patterns binding capture names.
# expect: same
# %%
commands = [("move", 1, 2), {"action": "stop"}, ["noop"]]
# %% [markdown]
# ## Dispatch
# %%
log = []
for command in commands:
    match command:
        case ("move", x, y):
            log.append(f"move {x},{y}")
        case {"action": action}:
            log.append(action)
        case [single]:
            log.append(single)
print(log)

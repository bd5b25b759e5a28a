# wake the desktop from the laptop and wait until ssh answers
MAC="a8:a1:59:3e:0c:7d"
wakeonlan "$MAC"
for _ in $(seq 1 60); do
  if ping -c1 -W1 nimbus.lan >/dev/null 2>&1; then
    echo "nimbus is up"
    exit 0
  fi
  sleep 2
done
echo "nimbus did not come up" >&2
exit 1

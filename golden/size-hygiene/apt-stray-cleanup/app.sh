jq .

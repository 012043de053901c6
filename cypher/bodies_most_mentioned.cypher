// State bodies by the number of documents that mention them, with the mention count.
MATCH (d:Document)-[m:MENTIONS]->(b:StateBody)
RETURN b.id AS body, b.name AS name, count(DISTINCT d) AS documents, count(m) AS mentions
ORDER BY mentions DESC, body
LIMIT 20;

"""Drives Debian's python3-tweepy (with python3-requests-oauthlib), unmodified, through X's
flows against the x-oauth emulator. The caller sets HTTPS_PROXY and REQUESTS_CA_BUNDLE, so
tweepy talks to https://api.twitter.com and https://twitter.com as it always does.

Protocol (JSON lines): the first stdin line is the config; when a consent page must be
clicked through, this script prints {"consent": url, "user_id": id} and reads back a line
{"location": url} or {"pin": digits}; every flow ends with {"flow": name, ...result}.
Flows named in config["flows"] run in that order, each reporting its own error."""
import json
import sys
import time

import requests
import tweepy


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def consent(url, user_id):
    send({"consent": url, "user_id": user_id})
    return json.loads(sys.stdin.readline())


def error_code(call):
    try:
        call()
    except tweepy.HTTPException as error:
        return {"status": error.response.status_code, "codes": error.api_codes}
    return {"status": 200, "codes": []}


def main():
    config = json.loads(sys.stdin.readline())
    app, public, users = config["app"], config["publicApp"], config["users"]
    key, secret = app["consumerKey"], app["consumerSecret"]
    token = config["oauth1Token"]

    def oauth1_pin():
        handler = tweepy.OAuth1UserHandler(key, secret, callback="oob")
        url = handler.get_authorization_url()
        answer = consent(url, users["bob"])
        access, access_secret = handler.get_access_token(answer["pin"])
        me = tweepy.API(tweepy.OAuth1UserHandler(key, secret, access, access_secret))
        return {"url": url, "screen_name": me.verify_credentials().screen_name}

    def oauth1_callback():
        handler = tweepy.OAuth1UserHandler(key, secret, callback=config["callback"])
        url = handler.get_authorization_url(signin_with_twitter=True)
        answer = consent(url, users["alice"])
        verifier = requests.utils.urlparse(answer["location"]).query
        params = dict(pair.split("=", 1) for pair in verifier.split("&"))
        access, access_secret = handler.get_access_token(params["oauth_verifier"])
        client = tweepy.Client(
            consumer_key=key, consumer_secret=secret,
            access_token=access, access_token_secret=access_secret,
        )
        return {"url": url, "username": client.get_me(user_auth=True).data.username}

    def user_client():
        return tweepy.Client(
            consumer_key=key, consumer_secret=secret,
            access_token=token["key"], access_token_secret=token["secret"],
        )

    def v1_query_post():
        # tweepy.API sends the POST's parameters in the query string, with no body.
        api = tweepy.API(
            tweepy.OAuth1UserHandler(key, secret, token["key"], token["secret"])
        )
        text = "tweepy query post %d" % time.time_ns()
        posted = api.update_status(text)
        read = user_client().get_tweets([posted.id], user_auth=True)
        return {"sent": text, "posted": posted.text, "read": read.data[0].text}

    def v2_json_post():
        client = user_client()
        text = "tweepy json post %d" % time.time_ns()
        posted = client.create_tweet(text=text, user_auth=True)
        read = client.get_tweets([posted.data["id"]], user_auth=True)
        return {"sent": text, "id": posted.data["id"], "read": read.data[0].text}

    def app_only_search():
        marker = "tweepyneedle%d" % time.time_ns()
        posted = user_client().create_tweet(text="find " + marker, user_auth=True)
        bearer = tweepy.OAuth2AppHandler(key, secret)._bearer_token
        found = tweepy.Client(bearer_token=bearer).search_recent_tweets(marker)
        return {"posted": str(posted.data["id"]), "found": [str(tweet.id) for tweet in found.data or []]}

    def oauth2(client_id, client_secret, user_id):
        handler = tweepy.OAuth2UserHandler(
            client_id=client_id, redirect_uri=config["redirectUri"],
            scope=["tweet.read", "users.read", "offline.access"],
            client_secret=client_secret,
        )
        url = handler.get_authorization_url()
        answer = consent(url, user_id)
        tokens = handler.fetch_token(answer["location"])
        me = tweepy.Client(tokens["access_token"]).get_me(user_auth=False)
        return handler, tokens, url, me.data.username

    def oauth2_public():
        handler, tokens, url, username = oauth2(public["clientId"], None, users["bob"])
        refreshed = handler.refresh_token(
            "https://api.twitter.com/2/oauth2/token",
            refresh_token=tokens["refresh_token"], client_id=public["clientId"],
        )
        again = tweepy.Client(refreshed["access_token"]).get_me(user_auth=False)
        reuse = requests.post(
            "https://api.twitter.com/2/oauth2/token",
            data={
                "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"],
                "client_id": public["clientId"],
            },
        )
        revoke = requests.post(
            "https://api.twitter.com/2/oauth2/revoke",
            data={
                "token": refreshed["access_token"], "token_type_hint": "access_token",
                "client_id": public["clientId"],
            },
        )
        after = error_code(lambda: tweepy.Client(refreshed["access_token"]).get_me(user_auth=False))
        return {
            "url": url, "username": username,
            "rotated": refreshed["refresh_token"] != tokens["refresh_token"],
            "after_refresh": again.data.username, "reuse_status": reuse.status_code,
            "revoke_status": revoke.status_code, "revoke_body": revoke.json(),
            "after_revoke": after,
        }

    def oauth2_confidential():
        _, _, url, username = oauth2(app["clientId"], app["clientSecret"], users["alice"])
        return {"url": url, "username": username}

    def bad_signature():
        api = tweepy.API(tweepy.OAuth1UserHandler(key, "not-the-secret", token["key"], token["secret"]))
        return error_code(api.verify_credentials)

    def revoked_token():
        revoked = config["revokedToken"]
        api = tweepy.API(tweepy.OAuth1UserHandler(key, secret, revoked["key"], revoked["secret"]))
        return error_code(api.verify_credentials)

    flows = {
        "oauth1-pin": oauth1_pin, "oauth1-callback": oauth1_callback,
        "v1-query-post": v1_query_post, "v2-json-post": v2_json_post,
        "app-only-search": app_only_search, "oauth2-public": oauth2_public,
        "oauth2-confidential": oauth2_confidential, "bad-signature": bad_signature,
        "revoked-token": revoked_token,
    }
    for name in config["flows"]:
        try:
            send({"flow": name, "result": flows[name]()})
        except Exception as error:  # reported to the test, which names the failing flow
            send({"flow": name, "error": "%s: %s" % (type(error).__name__, error)})


main()

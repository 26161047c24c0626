//! `events()` of an operation that answers with a stream of events.

use super::*;

/// `events()` and `events_with()`: the call sent asking for its streamed
/// media type, read item by item (`open_events` sends it, and again on
/// reconnecting).
pub(super) fn events_fns(
    api: &Api,
    op: &Operation,
    error: &proc_macro2::Ident,
    idempotent: bool,
    events: &EventStream,
) -> TokenStream {
    let root = root(api);
    let item = rust_type(api, &events.item, TypePath::Module);
    let decode = match events.item {
        TypeRef::String => quote! { #root::runtime::text_event },
        _ => quote! { #root::runtime::json_event::<#item> },
    };
    let framing = format_ident!("{}", events.framing.variant());
    let media_type = &events.media_type;
    let arms = response_arms(api, op, true);
    let what = match events.framing {
        Framing::ServerSent => "its server-sent events",
        Framing::Lines => "its JSON lines",
    };
    let doc = format!(" Sends the request asking for `{media_type}` and reads {what} as they arrive, each decoded");
    let output = quote! { Result<#root::Events<#item>, #root::Error<#error>> };
    quote! {
        #[doc = #doc]
        #[doc = " (with [`StreamOptions`](crate::StreamOptions)' defaults); an error status is decoded as with `send`."]
        pub async fn events(self) -> #output {
            self.events_with(#root::StreamOptions::default()).await
        }

        #[doc = " [`events`](Self::events) read with `options`: time and size limits, done markers, reconnecting."]
        pub async fn events_with(self, options: #root::StreamOptions) -> #output {
            let again = self.clone();
            let reopen: #root::runtime::Reopen = Box::new(move |last_id| {
                let request = again.clone();
                Box::pin(async move {
                    request.open_events(last_id).await.map(#root::ApiResponse::into_body).map_err(|err| err.to_string())
                })
            });
            let body = self.open_events(None).await?.into_body();
            Ok(#root::runtime::Events::new(
                body,
                #root::runtime::Framing::#framing,
                options,
                #decode,
                Some(reopen),
                #idempotent,
            ))
        }

        async fn open_events(mut self, last_event_id: Option<String>) -> #root::ApiResult<#root::ByteStream, #error> {
            self.options.add_header("accept".to_string(), #media_type.to_string());
            if let Some(id) = last_event_id {
                self.options.add_header("last-event-id".to_string(), id);
            }
            let raw = self.into_call().send_streaming().await?;
            #arms
        }
    }
}
